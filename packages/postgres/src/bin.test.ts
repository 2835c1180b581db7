import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { connectClient } from "./connect.ts";

const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("pnpm db:up (the embedded database on demand)", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("starts, prints its URL, and stops the server cleanly on Ctrl-C", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sf-dbup-"));
    await chmod(dir, 0o755);
    dirs.push(dir);
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
