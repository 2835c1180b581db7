import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Report } from "./model.ts";
import { renderPrComment } from "./render-comment.ts";
import { renderMarkdown } from "./render-markdown.ts";

export interface ReportFiles {
  markdown: string;
  json: string;
  comment: string;
}

/** Writes report.md (job summary), report.json (same content, for tools) and pr-comment.md. */
export async function writeReport(report: Report, directory: string, options: { commentBefore?: string[] } = {}): Promise<ReportFiles> {
  await mkdir(directory, { recursive: true });
  const files = { markdown: join(directory, "report.md"), json: join(directory, "report.json"), comment: join(directory, "pr-comment.md") };
  await writeFile(files.markdown, renderMarkdown(report));
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.comment, renderPrComment(report, { before: options.commentBefore ?? [] }));
  return files;
}
