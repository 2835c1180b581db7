import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { legacyDatabase, legacyRows } from "@soleflip/db/testing";
import { connectClient, withClient } from "@soleflip/postgres";
import { runRootScript, startRootScript, tempDir, waitForOutput } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { fingerprint, userEnv } from "./support.ts";

interface PolicyEntry {
  setting: string;
  server: string;
  runner: string;
}

describe("the server's own guards are kept and said, never silently overridden", () => {
  it("a role's statement_timeout shorter than a long step refuses the run before anything changes; --statement-timeout raises it for the long steps only; the role's lock_timeout caps every attempt", async () => {
    const url = await legacyDatabase("sf_guard_role", legacyRows);
    const role = new URL(url).username;
    const database = new URL(url).pathname.slice(1);
    // Scoped to this role in this database only: other test files share the server.
    await withClient(url, (client) => client.query(`ALTER ROLE "${role}" IN DATABASE "${database}" SET statement_timeout = '250ms'; ALTER ROLE "${role}" IN DATABASE "${database}" SET lock_timeout = '40ms'`));
    const before = await fingerprint(url);
    const dir = await tempDir("sf-guard-log");

    const refused = await runRootScript("db:migrate", ["--apply-log", join(dir, "refused.json")], userEnv(url));
    const said = refused.stdout + refused.stderr;
    expect(refused.exitCode, said).toBe(2);
    expect(said).toContain("refused [migrator.guard.statement-timeout]");
    expect(said).toMatch(new RegExp(`statement_timeout of 250 ms \\(role ${role} in database ${database}\\) could cancel \\d+ long step\\(s\\)`));
    expect(said).toMatch(/fix: Raise it for the long steps only: pass --statement-timeout/);
    expect(said).toMatch(/Session guards[\s\S]*statement_timeout: server 250 ms/);
    expect(await fingerprint(url)).toEqual(before);

    const applied = await runRootScript("db:migrate", ["--statement-timeout", "10min", "--apply-log", join(dir, "applied.json")], userEnv(url));
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    const log = JSON.parse(await readFile(join(dir, "applied.json"), "utf8")) as { sessionPolicy: PolicyEntry[] };
    const entry = (setting: string) => log.sessionPolicy.find((e) => e.setting === setting);
    expect(entry("statement_timeout")).toMatchObject({ server: `250 ms (role ${role} in database ${database})`, runner: expect.stringContaining("10 min for long steps") });
    expect(entry("lock_timeout")).toMatchObject({ server: `40 ms (role ${role} in database ${database})`, runner: expect.stringContaining("20 ms doubling to 40 ms") });
    expect(entry("application_name")).toMatchObject({ runner: "soleflip-migrator" });
    await withClient(url, (client) => client.query(`ALTER ROLE "${role}" IN DATABASE "${database}" RESET ALL`));
  });

  it("waiting behind another session's lock names that session live and in the final error; the next run completes", async () => {
    const url = await legacyDatabase("sf_guard_wait", legacyRows);
    const holder = await connectClient(url, { applicationName: "sf-holder" });
    const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
    // Blocks the first step (a foreign key added to sales.order) but not the pre-flight's reads.
    await holder.query(`BEGIN; LOCK TABLE sales."order" IN SHARE ROW EXCLUSIVE MODE`);
    const { child, done } = startRootScript("db:migrate", ["--no-apply-log", "--max-retries", "4", "--lock-timeout", "50"], userEnv(url));
    await waitForOutput(child, "waiting:");
    const run = await done;
    await holder.query("ROLLBACK");
    await holder.end();
    const said = run.stdout + run.stderr;
    expect(run.exitCode, said).toBe(1);
    expect(run.stderr).toMatch(/waiting: .*attempt \d of 5 gave up after \d+\.\d ms/);
    expect(run.stderr).toContain(`held by pid ${holderPid} (`);
    expect(run.stderr).toContain('application "sf-holder"');
    expect(run.stdout).toContain("error [postgres.lock-timeout]");
    expect(run.stdout).toMatch(new RegExp(`5 attempts over [\\s\\S]*held by pid ${holderPid} \\([^)]*idle in transaction`));
    expect(run.stdout).toContain(`fix: Wait for pid ${holderPid} to finish`);
    const again = await runRootScript("db:migrate", ["--no-apply-log"], userEnv(url));
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
  });
});
