import { ToolkitError } from "@soleflip/core";
import { REPORT_MARKER } from "../render-markdown.ts";

export interface StickyCommentOptions {
  apiUrl: string;
  token: string;
  repository: string;
  issueNumber: number;
  body: string;
  fetch?: typeof fetch;
}

interface IssueComment {
  id: number;
  body?: string;
}

/**
 * Creates or updates the one PR comment that starts with the report marker, so every push updates the
 * same comment instead of adding one. Returns what it did.
 */
export async function upsertStickyComment(options: StickyCommentOptions): Promise<{ action: "created" | "updated"; id: number }> {
  if (!options.body.startsWith(REPORT_MARKER)) {
    throw new ToolkitError({ code: "verifier.comment.no-marker", summary: "The comment body does not start with the report marker.", fix: "Post reports/pr-comment.md as written by the verifier." });
  }
  const request = options.fetch ?? fetch;
  const headers = { authorization: `Bearer ${options.token}`, accept: "application/vnd.github+json", "content-type": "application/json", "x-github-api-version": "2022-11-28" };
  const base = `${options.apiUrl.replace(/\/$/, "")}/repos/${options.repository}/issues`;
  let existing: IssueComment | undefined;
  for (let page = 1; page <= 20 && !existing; page++) {
    const response = await request(`${base}/${options.issueNumber}/comments?per_page=100&page=${page}`, { headers });
    if (!response.ok) throw new ToolkitError({ code: "verifier.comment.list-failed", summary: `GitHub answered ${response.status} listing comments.`, fix: "Give the job pull-requests: write." });
    const comments = (await response.json()) as IssueComment[];
    existing = comments.find((comment) => comment.body?.startsWith(REPORT_MARKER));
    if (comments.length < 100) break;
  }
  const response = existing
    ? await request(`${base}/comments/${existing.id}`, { method: "PATCH", headers, body: JSON.stringify({ body: options.body }) })
    : await request(`${base}/${options.issueNumber}/comments`, { method: "POST", headers, body: JSON.stringify({ body: options.body }) });
  if (!response.ok) throw new ToolkitError({ code: "verifier.comment.write-failed", summary: `GitHub answered ${response.status} writing the comment.`, fix: "Give the job pull-requests: write (forks get a read-only token)." });
  const written = (await response.json()) as IssueComment;
  return { action: existing ? "updated" : "created", id: written.id };
}
