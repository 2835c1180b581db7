import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { connectClient } from "./connect.ts";
import { freePort, tempDir } from "./testing/index.ts";

const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));

describe("pnpm db:up (the embedded database on demand)", () => {
  it("starts, prints its URL, and stops the server cleanly on Ctrl-C", async () => {
    const dir = await tempDir("sf-dbup");
    const port = await freePort();
    const child = spawn(tsx, [bin], {
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", SOLEFLIP_PG_PORT: String(port), SOLEFLIP_PG_DATA_DIR: join(dir, "pg") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /embedded PostgreSQL: (\S+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const client = await connectClient(url);
    await client.query("SELECT 1");
    await client.end();

    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    await expect(connectClient(url, { connectTimeoutMs: 2_000 })).rejects.toMatchObject({ code: "postgres.unreachable" });
  });
});
