import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_MARKER } from "../render-markdown.ts";
import { upsertStickyComment } from "./sticky-comment.ts";

/** A stand-in for GitHub's issue-comments API on loopback, holding comments in memory. */
let server: Server;
let apiUrl = "";
const comments: Array<{ id: number; body: string }> = [];
const seen: string[] = [];

async function body(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization}`);
    const url = new URL(request.url ?? "", "http://x");
    response.setHeader("content-type", "application/json");
    if (request.method === "GET" && url.pathname === "/repos/acme/soleflip/issues/7/comments") {
      response.end(JSON.stringify(comments));
    } else if (request.method === "POST" && url.pathname === "/repos/acme/soleflip/issues/7/comments") {
      const comment = { id: 100 + comments.length, body: (JSON.parse(await body(request)) as { body: string }).body };
      comments.push(comment);
      response.statusCode = 201;
      response.end(JSON.stringify(comment));
    } else if (request.method === "PATCH" && url.pathname.startsWith("/repos/acme/soleflip/issues/comments/")) {
      const comment = comments.find((c) => c.id === Number(url.pathname.split("/").pop()));
      if (comment) comment.body = (JSON.parse(await body(request)) as { body: string }).body;
      response.end(JSON.stringify(comment));
    } else {
      response.statusCode = 404;
      response.end("{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  apiUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("upsertStickyComment", () => {
  it("creates the comment once, then updates the same one, leaving other comments alone", async () => {
    comments.push({ id: 1, body: "LGTM" });
    const options = { apiUrl, token: "t0k3n", repository: "acme/soleflip", issueNumber: 7 };
    expect(await upsertStickyComment({ ...options, body: `${REPORT_MARKER}\nfirst` })).toEqual({ action: "created", id: 101 });
    expect(await upsertStickyComment({ ...options, body: `${REPORT_MARKER}\nsecond` })).toEqual({ action: "updated", id: 101 });
    expect(comments).toEqual([{ id: 1, body: "LGTM" }, { id: 101, body: `${REPORT_MARKER}\nsecond` }]);
    expect(seen.every((line) => line.endsWith("Bearer t0k3n"))).toBe(true);
  });

  it("refuses a body without the marker and reports API errors", async () => {
    await expect(upsertStickyComment({ apiUrl, token: "t", repository: "acme/soleflip", issueNumber: 7, body: "no marker" })).rejects.toMatchObject({ code: "verifier.comment.no-marker" });
    await expect(upsertStickyComment({ apiUrl, token: "t", repository: "acme/other", issueNumber: 7, body: `${REPORT_MARKER}\nx` })).rejects.toMatchObject({ code: "verifier.comment.list-failed" });
  });
});
