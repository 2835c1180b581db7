import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migratedDatabase } from "@soleflip/db/testing";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, scratchDatabase } from "@soleflip/postgres/testing";
import { afterAll, describe, expect, it } from "vitest";

const binary = fileURLToPath(new URL("../bin/verifier.mjs", import.meta.url));
const SECRET = "Never-Shown-77";

function run(args: string[], env: Record<string, string>): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binary, ...args], { env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

describe("soleflip-verifier verify", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const reportDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "sf-report-"));
    dirs.push(dir);
    return dir;
  };

  it("exits 0 on a migrated database and writes the Markdown, JSON and PR comment", async () => {
    const url = await migratedDatabase("sf_cli_ok");
    const dir = await reportDir();
    const result = await run(["verify", "--report-dir", dir, "--runs", "3"], { DATABASE_URL: url });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("11 of 11 checks pass");
    const json = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as { status: string; verification: { checks: unknown[] } };
    expect(json.status).toBe("pass");
    expect(await readFile(join(dir, "report.md"), "utf8")).toContain("# SoleFlip schema report ✅");
  });

  it("exits 2 with findings, naming the failing check", async () => {
    const url = await migratedDatabase("sf_cli_findings");
    await withClient(url, (client) => client.query("ALTER TABLE inventory.stock VALIDATE CONSTRAINT stock_size_id_fkey; ALTER TABLE sales.\"order\" ALTER COLUMN platform_id DROP NOT NULL"));
    const result = await run(["verify", "--report-dir", await reportDir(), "--no-performance"], { DATABASE_URL: url });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain("✗ columns-match");
  });

  it("exits 1 on an unreachable database and a wrong password, never printing it", async () => {
    const unreachable = await run(["verify", "--report-dir", await reportDir()], { DATABASE_URL: `postgresql://u:${SECRET}@127.0.0.1:1/x` });
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toContain("postgres.unreachable");
    const wrong = new URL(adminDatabaseUrl());
    wrong.password = SECRET;
    const denied = await run(["verify", "--report-dir", await reportDir()], { DATABASE_URL: wrong.toString() });
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toContain("postgres.auth-failed");
    expect(unreachable.stdout + unreachable.stderr + denied.stdout + denied.stderr).not.toContain(SECRET);
  });

  it("exits 1 on a database that holds none of SoleFlip's schemas, writing nothing to it", async () => {
    const db = await scratchDatabase("sf_cli_foreign");
    await withClient(db.url, (client) => client.query("CREATE TABLE public.other (id int)"));
    const result = await run(["verify", "--report-dir", await reportDir()], { DATABASE_URL: db.url });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("verifier.not-soleflip");
    const objects = await withClient(db.url, async (client) => (await client.query("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1")).rows);
    expect(objects).toEqual([{ relname: "other" }]);
  });

  it("exits 1 on unknown flags", async () => {
    const result = await run(["verify", "--frobnicate"], {});
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("unknown option '--frobnicate'");
  });
});
