import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, runRootScript, scratchDatabase, startPgBouncer, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { fingerprint } from "./support.ts";

interface Case {
  name: string;
  command: string;
  mode: "transaction" | "session";
  /** DIRECT_DATABASE_URL given (the server itself) besides DATABASE_URL through the pooler. */
  direct: boolean;
  exit: 0 | 1 | 2;
  output: RegExp;
  /** The database holds the migration history afterwards. */
  migrated: boolean;
}

/**
 * The README's commands through a real PgBouncer: session guarantees (the migration lock, lock_timeout)
 * do not hold behind transaction pooling, so runs that need them stop before touching anything unless
 * DIRECT_DATABASE_URL gives a direct connection; session pooling keeps them and just works.
 */
const CASES: Case[] = [
  { name: "transaction pooling stops db:migrate before any change", command: "db:migrate", mode: "transaction", direct: false, exit: 1, output: /error \[postgres\.transaction-pooler\][\s\S]*DIRECT_DATABASE_URL/, migrated: false },
  { name: "transaction pooling stops db:rollback too", command: "db:rollback", mode: "transaction", direct: false, exit: 1, output: /error \[postgres\.transaction-pooler\]/, migrated: false },
  { name: "transaction pooling with DIRECT_DATABASE_URL migrates through the direct connection", command: "db:migrate", mode: "transaction", direct: true, exit: 0, output: /All migrations applied\./, migrated: true },
  { name: "session pooling keeps the guarantees: db:migrate works through it", command: "db:migrate", mode: "session", direct: false, exit: 0, output: /All migrations applied\./, migrated: true },
];

describe("connection poolers (a real PgBouncer)", () => {
  it.each(CASES)("$name", async (testCase) => {
    const database = await scratchDatabase("sf_pooled");
    const pooler = await startPgBouncer(database.url, testCase.mode);
    const env: Record<string, string> = { DATABASE_URL: pooler.through(database.url), SHADOW_DATABASE_URL: adminDatabaseUrl() };
    if (testCase.direct) env["DIRECT_DATABASE_URL"] = database.url;
    const before = await fingerprint(database.url);
    const args = testCase.command === "db:rollback" ? ["20251117000200_enrichment_partial_indexes"] : [];

    const run = await runRootScript(testCase.command, args, env);
    expect(run.exitCode, run.stdout + run.stderr).toBe(testCase.exit);
    expect(run.stdout + run.stderr).toMatch(testCase.output);
    expect(run.stdout + run.stderr).not.toContain("postgres:postgres@");
    const history = await withClient(database.url, (client) => client.query("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present"));
    expect(history.rows[0]?.present).toBe(testCase.migrated);
    if (!testCase.migrated) expect(await fingerprint(database.url)).toEqual(before);
  });

  it("db:verify is read-only and holds through transaction pooling", async () => {
    const database = await scratchDatabase("sf_pooled_verify");
    const migrated = await runRootScript("db:migrate", [], { DATABASE_URL: database.url, SHADOW_DATABASE_URL: adminDatabaseUrl() });
    expect(migrated.exitCode, migrated.stderr).toBe(0);
    const pooler = await startPgBouncer(database.url, "transaction");
    const reportDir = await tempDir("sf-pooled-report");
    const verified = await runRootScript("db:verify", ["--report-dir", reportDir], { DATABASE_URL: pooler.through(database.url), SHADOW_DATABASE_URL: adminDatabaseUrl() });
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout + verified.stderr).toMatch(/11 of 11 checks pass/);
  });
});
