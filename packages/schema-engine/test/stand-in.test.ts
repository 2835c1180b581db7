import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { schemaEngineBinary } from "../src/prisma-cli.ts";

interface Exchange {
  replies: Array<Record<string, unknown>>;
  stderr: string;
  exitCode: number | null;
}

/** Starts the stand-in executable as the Prisma CLI would and sends it JSON-RPC lines. */
function talk(args: string[], requests: Array<Record<string, unknown>>, answerPrint = true): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const child = spawn(schemaEngineBinary, args, { stdio: ["pipe", "pipe", "pipe"] });
    const replies: Array<Record<string, unknown>> = [];
    let stderr = "";
    let pending = requests.length;
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      replies.push(message);
      if (message["method"] === "print" && answerPrint) {
        child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: message["id"], result: {} })}\n`);
        return;
      }
      if (--pending === 0) child.stdin.end();
    });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ replies, stderr, exitCode }));
    if (requests.length === 0) child.stdin.end();
    for (const request of requests) child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...request })}\n`);
  });
}

const schemaPath = new URL("./fixtures/shop.prisma", import.meta.url).pathname;

describe("the schema-engine stand-in executable", () => {
  it("prints its version", async () => {
    const { replies, exitCode } = await new Promise<{ replies: string; exitCode: number | null }>((resolve) => {
      const child = spawn(schemaEngineBinary, ["--version"]);
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("close", (code) => resolve({ replies: out, exitCode: code }));
    });
    expect(exitCode).toBe(0);
    expect(replies).toMatch(/^schema-engine-cli \S+/);
  });

  it("answers JSON-RPC requests in order, and sends a diff to the CLI through a print request", async () => {
    const db = await scratchDatabase("sf_standin");
    const { replies, exitCode } = await talk(
      ["--datamodels", schemaPath, "--datasource", JSON.stringify({ url: db.url })],
      [
        { id: 1, method: "getDatabaseVersion", params: {} },
        {
          id: 2,
          method: "diff",
          params: {
            from: { tag: "empty" },
            to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] },
            script: true,
            exitCode: true,
            filters: { externalTables: [], externalEnums: [] },
          },
        },
      ],
    );
    expect(exitCode).toBe(0);
    expect(replies[0]).toMatchObject({ id: 1, result: expect.stringMatching(/^PostgreSQL \d+/) });
    const print = replies.find((reply) => reply["method"] === "print");
    expect(print).toBeDefined();
    expect(print).toMatchObject({ params: { content: expect.stringContaining('CREATE TABLE "shop"."customer"') } });
    const diffReply = replies.find((reply) => reply["id"] === 2);
    expect(diffReply).toMatchObject({ result: { exitCode: 2, stdout: null } });
  });

  it("turns an engine panic into a JSON-RPC error reply instead of going silent", async () => {
    const db = await scratchDatabase("sf_standin_panic");
    const { replies } = await talk(
      ["--datamodels", schemaPath, "--datasource", JSON.stringify({ url: db.url })],
      [{ id: 7, method: "debugPanic", params: {} }],
    );
    expect(replies[0]).toMatchObject({ id: 7, error: { data: { is_panic: true } } });
  });

  it("reports an unknown method as an error reply", async () => {
    const db = await scratchDatabase("sf_standin_unknown");
    const { replies } = await talk(["--datasource", JSON.stringify({ url: db.url })], [{ id: 3, method: "noSuchMethod", params: {} }]);
    expect(replies[0]).toMatchObject({ id: 3, error: { data: { message: expect.stringContaining("noSuchMethod") } } });
  });

  it("`cli can-connect-to-database` reports P1001 as the CLI expects (second stderr line) and exits 1", async () => {
    const { stderr, exitCode } = await talk(["--datasource", JSON.stringify({ url: "postgresql://u:pw@127.0.0.1:1/x" }), "cli", "can-connect-to-database"], []);
    expect(exitCode).toBe(1);
    const lines = stderr.trim().split("\n").map((line) => JSON.parse(line) as { level: string; target: string; fields: { error_code?: string } });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.slice(1).find((line) => line.level === "ERROR")).toMatchObject({
      target: "schema_engine::logger",
      fields: { error_code: "P1001" },
    });
  });
});

describe("the stand-in under malformed input", () => {
  it("replies with an error when the engine throws outside the awaited call (bad params)", async () => {
    const db = await scratchDatabase("sf_standin_badparams");
    const { replies, exitCode } = await talk(
      ["--datasource", JSON.stringify({ url: db.url })],
      [
        { id: 1, method: "getDatabaseVersion", params: { datasource: 42 } },
        { id: 2, method: "getDatabaseVersion" },
      ],
    );
    expect(replies.find((reply) => reply["id"] === 1)).toMatchObject({ error: { data: { message: expect.any(String) } } });
    expect(replies.find((reply) => reply["id"] === 2)).toMatchObject({ result: expect.stringMatching(/^PostgreSQL \d+/) });
    expect(exitCode).toBe(0);
  });
});
