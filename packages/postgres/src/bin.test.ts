import { spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
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
      cwd: dir,
    });
    let printed = "";
    const [shownUrl, pgpass] = await new Promise<[string, string]>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /embedded PostgreSQL: (\S+)\n  password: in (\S+) \(psql: PGPASSFILE=\S+ psql \S+\)/.exec(out);
        if (match?.[1] && match[2]) {
          clearTimeout(timer);
          printed = out;
          resolve([match[1], match[2]]);
        }
      });
    });
    // No password on screen; the pgpass file it names holds it, for psql and for us.
    expect(new URL(shownUrl).password).toBe("");
    const fields = (await readFile(join(dir, pgpass.replace(/^.*\//, "")), "utf8")).trim().split(":");
    const user = fields[3] ?? "";
    const password = fields[4] ?? "";
    expect(printed).not.toContain(password);
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(((await stat(join(dir, "pg.pgpass"))).mode & 0o777).toString(8)).toBe("600");
    const url = Object.assign(new URL(shownUrl), { username: user, password }).toString();
    const client = await connectClient(url);
    await client.query("SELECT 1");
    await client.end();

    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    await expect(connectClient(url, { connectTimeoutMs: 2_000 })).rejects.toMatchObject({ code: "postgres.unreachable" });
  });
});
