import { mkdir, readFile, writeFile, appendFile } from "node:fs/promises";
import { join } from "node:path";
import { legacyDatabase, legacyRows, migratedDatabase, projectCopy } from "@soleflip/db/testing";
import { connectClient, withClient, withDatabase } from "@soleflip/postgres";
import { adminDatabaseUrl, runRootScript, scratchDatabase, signalTree, startRootScript, tempDir, waitForOutput, withPassword } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { fingerprint, userEnv } from "./support.ts";

const SECRET = "Hunter2-Never-Printed";

interface BadInput {
  name: string;
  /** Returns the command, its arguments and environment, and the database to prove unchanged (if any). */
  setup: () => Promise<{ command: string; args: string[]; env: Record<string, string>; database?: string }>;
  exit: 1 | 2;
  /** The stable code, as printed: `error [code]` (the tool failed, bad input) or `refused [code]`. */
  code: string;
  /** Words the message must hold: the cause, named. */
  says: RegExp;
}

/** A role that may connect and read, and nothing else. */
async function readOnlyRole(url: string, name: string): Promise<string> {
  const database = new URL(url).pathname.slice(1);
  await withClient(adminDatabaseUrl(), (client) => client.query(`DROP ROLE IF EXISTS ${name}; CREATE ROLE ${name} LOGIN PASSWORD '${SECRET}'; GRANT CONNECT ON DATABASE ${database} TO ${name}`));
  await withClient(url, (client) => client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO ${name}`));
  const target = new URL(url);
  target.username = name;
  target.password = SECRET;
  return target.toString();
}

/**
 * Every kind of bad input, one row each: the exit code, a stable error code, a message naming the
 * cause with a fix, the database unchanged, and no secret printed.
 */
const CASES: BadInput[] = [
  { name: "unreachable server", exit: 1, code: "error [postgres.unreachable]", says: /Cannot reach PostgreSQL at 127\.0\.0\.1:1/, setup: async () => ({ command: "db:migrate", args: [], env: userEnv(`postgresql://app:${SECRET}@127.0.0.1:1/soleflip`) }) },
  {
    name: "wrong password",
    exit: 1,
    code: "error [postgres.auth-failed]",
    says: /refused the credentials of user/,
    setup: async () => {
      const db = await scratchDatabase("sf_bad_password");
      return { command: "db:verify", args: [], env: userEnv(withPassword(db.url, SECRET)), database: db.url };
    },
  },
  { name: "malformed URL (port not a number)", exit: 1, code: "error [postgres.invalid-url]", says: /The database URL is malformed/, setup: async () => ({ command: "db:migrate", args: [], env: userEnv(`postgresql://u:${SECRET}@localhost:notaport/db`) }) },
  { name: "not a PostgreSQL URL", exit: 1, code: "error [postgres.invalid-url]", says: /is not a PostgreSQL URL/, setup: async () => ({ command: "db:verify", args: [], env: userEnv(`mysql://root:${SECRET}@localhost/db`) }) },
  { name: "missing database", exit: 1, code: "error [postgres.database-missing]", says: /Database "no_such_db_here" does not exist/, setup: async () => ({ command: "db:migrate", args: [], env: userEnv(withDatabase(adminDatabaseUrl(), "no_such_db_here")) }) },
  {
    name: "missing privileges (no CREATE in the database)",
    exit: 1,
    code: "error [postgres.permission-denied]",
    says: /lacks a privilege this needs: permission denied/,
    setup: async () => {
      const db = await scratchDatabase("sf_bad_privileges");
      return { command: "db:migrate", args: [], env: userEnv(await readOnlyRole(db.url, "sf_no_create")), database: db.url };
    },
  },
  {
    name: "empty database, verified",
    exit: 2,
    code: "refused [verifier.not-this-project]",
    says: /holds none of the model's 24 tables/,
    setup: async () => {
      const db = await scratchDatabase("sf_bad_empty");
      return { command: "db:verify", args: ["--report-dir", await tempDir("sf-bad-report")], env: userEnv(db.url), database: db.url };
    },
  },
  {
    name: "unrelated database",
    exit: 2,
    code: "refused [migrator.target.not-empty]",
    says: /none of which the migrations create \(e\.g\. shop\.invoice\)/,
    setup: async () => {
      const db = await scratchDatabase("sf_bad_unrelated");
      await withClient(db.url, (client) => client.query("CREATE SCHEMA shop; CREATE TABLE shop.invoice (id int PRIMARY KEY, total numeric); INSERT INTO shop.invoice VALUES (1, 9.5)"));
      return { command: "db:migrate", args: [], env: userEnv(db.url), database: db.url };
    },
  },
  {
    name: "half of the project's database (tables missing, one extra)",
    exit: 2,
    code: "refused [migrator.adopt.structure-differs]",
    says: /differs from the baseline in \d+ object\(s\) no migration manages \(\d+ missing, \d+ not in the baseline/,
    setup: async () => {
      const url = await legacyDatabase("sf_bad_half", legacyRows, "DROP SCHEMA analytics CASCADE; CREATE TABLE catalog.mystery (id int);");
      return { command: "db:migrate", args: [], env: userEnv(url), database: url };
    },
  },
  { name: "unknown flag", exit: 1, code: "error: unknown option '--frobnicate'", says: /unknown option/, setup: async () => ({ command: "db:verify", args: ["--frobnicate"], env: {} }) },
  { name: "unknown check id", exit: 1, code: "error [verifier.unknown-check]", says: /No check named colums-match/, setup: async () => ({ command: "db:verify", args: ["--check", "colums-match"], env: userEnv("postgresql://app:pw@127.0.0.1:1/x") }) },
  { name: "invalid environment variable", exit: 1, code: "error [migrator.env.invalid]", says: /SOLEFLIP_PG_PORT/, setup: async () => ({ command: "db:migrate", args: [], env: { SOLEFLIP_PG_PORT: "not-a-port" } }) },
  { name: "unsupported PostgreSQL major for the embedded server", exit: 1, code: "error [postgres.major-unsupported]", says: /SOLEFLIP_PG_MAJOR is "13", not a supported PostgreSQL major[\s\S]*14, 15, 16, 17, 18/, setup: async () => ({ command: "db:migrate", args: ["--dry-run"], env: { SOLEFLIP_PG_MAJOR: "13" } }) },
  { name: "negative replica lag limit", exit: 1, code: "error: option '--max-replica-lag <seconds>' argument '-1' is invalid", says: /--max-replica-lag must be a non-negative number/, setup: async () => ({ command: "db:migrate", args: ["--max-replica-lag", "-1"], env: {} }) },
  { name: "--lock-timeout 0 (would disable the guard)", exit: 1, code: "error: option '--lock-timeout <ms>' argument '0' is invalid", says: /--lock-timeout 0 would disable lock_timeout: a step would wait for its lock without limit while writers queue behind it/, setup: async () => ({ command: "db:migrate", args: ["--lock-timeout", "0"], env: {} }) },
  { name: "--batch-time below 5 ms (a batch would be mostly its commit)", exit: 1, code: "error: option '--batch-time <ms>' argument '2' is invalid", says: /--batch-time takes whole milliseconds from 5 to 10000/, setup: async () => ({ command: "db:migrate", args: ["--batch-time", "2"], env: {} }) },
  { name: "--nice-ratio below 0", exit: 1, code: "error: option '--nice-ratio <ratio>' argument '-1' is invalid", says: /--nice-ratio takes a number from 0 to 10/, setup: async () => ({ command: "db:migrate", args: ["--nice-ratio", "-1"], env: {} }) },
  { name: "--statement-timeout 0 (would disable the guard)", exit: 1, code: "error: option '--statement-timeout <duration>' argument '0' is invalid", says: /would disable statement_timeout for the long steps/, setup: async () => ({ command: "db:migrate", args: ["--statement-timeout", "0"], env: {} }) },
  {
    name: "SOLEFLIP_PG_PORT held by another checkout's server",
    exit: 1,
    code: "error [postgres.embedded-port-taken]",
    says: /Port \d+ \(SOLEFLIP_PG_PORT\) is held by another server \(.*\), not the embedded PostgreSQL of this checkout's data directory/,
    setup: async () => {
      // The test server itself: a running PostgreSQL of another data directory.
      const port = new URL(adminDatabaseUrl()).port;
      const dir = await tempDir("sf-bad-port");
      return { command: "db:migrate", args: ["--dry-run"], env: { SOLEFLIP_PG_PORT: port, SOLEFLIP_PG_DATA_DIR: join(dir, "pg") }, database: adminDatabaseUrl() };
    },
  },
  { name: "missing project config", exit: 1, code: "error [project.config-missing]", says: /No Prisma config at/, setup: async () => ({ command: "db:migrate", args: ["--config", "/nonexistent/prisma.config.ts"], env: {} }) },
  {
    name: "malformed SQL in a migration",
    exit: 1,
    code: "error [sql.syntax-error]",
    says: /20251201000000_broken\/migration\.sql: syntax error at or near "text" at line 2/,
    setup: async () => {
      const project = await projectCopy();
      await mkdir(join(project.migrationsDir, "20251201000000_broken"));
      await writeFile(join(project.migrationsDir, "20251201000000_broken", "migration.sql"), "CREATE INDEX ok_idx ON catalog.brand (slug);\nALTER TABLE catalog.brand ADD COLUM logo text;\n");
      const db = await scratchDatabase("sf_bad_sql");
      return { command: "db:migrate", args: ["--config", project.configPath ?? ""], env: userEnv(db.url), database: db.url };
    },
  },
  {
    name: "an applied migration edited since",
    exit: 1,
    code: "error [migrator.history.edited]",
    says: /20251117000100_fix_foreign_keys_and_nullability was edited after it was applied/,
    setup: async () => {
      const project = await projectCopy();
      const url = await migratedDatabase("sf_bad_edited");
      await appendFile(join(project.migrationsDir, "20251117000100_fix_foreign_keys_and_nullability", "migration.sql"), "\n-- tweaked later\n");
      return { command: "db:migrate", args: ["--config", project.configPath ?? ""], env: userEnv(url), database: url };
    },
  },
  ...fileCases(),
];

/** A migration folder added to a copy of the project, with the given migration.sql (text or bytes). */
async function withMigration(name: string, sql: string | Buffer): Promise<{ configPath: string; migrationsDir: string }> {
  const project = await projectCopy();
  await mkdir(join(project.migrationsDir, name));
  await writeFile(join(project.migrationsDir, name, "migration.sql"), sql);
  return { configPath: project.configPath ?? "", migrationsDir: project.migrationsDir };
}

/**
 * Files the runner questions before anything runs, as `prisma migrate deploy` does or should: each against
 * the pre-fix database (or a migrated one), which must stay as it was.
 */
function fileCases(): BadInput[] {
  const onLegacy = async (prefix: string, project: { configPath: string }) => {
    const url = await legacyDatabase(prefix, legacyRows);
    return { command: "db:migrate", args: ["--config", project.configPath, "--no-apply-log"], env: userEnv(url), database: url };
  };
  return [
    {
      name: "an empty migration.sql at the head of the history",
      exit: 1,
      code: "error [migrator.migration.empty]",
      says: /20251201000000_nothing_yet\/migration\.sql holds no statement: applied, it would be recorded as done while changing nothing/,
      setup: async () => onLegacy("sf_bad_empty_file", await withMigration("20251201000000_nothing_yet", "-- to be written\n")),
    },
    {
      name: "a migration that sorts before one the database already applied",
      exit: 1,
      code: "error [migrator.migration.out-of-order]",
      says: /20251117000150_late_branch sorts before 20251117000200_enrichment_partial_indexes, which this database has already applied/,
      setup: async () => {
        const project = await withMigration("20251117000150_late_branch", "CREATE INDEX CONCURRENTLY idx_brand_slug_late ON catalog.brand (slug);\n");
        const url = await migratedDatabase("sf_bad_out_of_order");
        return { command: "db:migrate", args: ["--config", project.configPath, "--no-apply-log"], env: userEnv(url), database: url };
      },
    },
    {
      name: "migration_lock.toml of another provider",
      exit: 1,
      code: "error [history.provider-mismatch]",
      says: /migration_lock\.toml says the history was made for provider "mysql", not "postgresql" \(Prisma refuses this too, P3019\)/,
      setup: async () => {
        const project = await projectCopy();
        await writeFile(join(project.migrationsDir, "migration_lock.toml"), 'provider = "mysql"\n');
        return onLegacy("sf_bad_provider", { configPath: project.configPath ?? "" });
      },
    },
    {
      name: "a migration saved as Latin-1",
      exit: 1,
      code: "error [history.not-utf8]",
      says: /20251201000000_latin1\/migration\.sql is not UTF-8: line 2 holds bytes that are not/,
      setup: async () => onLegacy("sf_bad_latin1", await withMigration("20251201000000_latin1", Buffer.from("-- ok\nCOMMENT ON TABLE catalog.brand IS 'marques d\xe9pos\xe9es';\n", "latin1"))),
    },
    {
      name: "CREATE INDEX CONCURRENTLY inside BEGIN … COMMIT",
      exit: 1,
      code: "error [migrator.migrations.invalid]",
      says: /20251201000000_wrapped\/migration\.sql:2: CREATE INDEX CONCURRENTLY idx_brand_name_wrapped ON catalog\.brand \(name\) cannot run inside the transaction block opened at line 1/,
      setup: async () => onLegacy("sf_bad_wrapped", await withMigration("20251201000000_wrapped", "BEGIN;\nCREATE INDEX CONCURRENTLY idx_brand_name_wrapped ON catalog.brand (name);\nCOMMIT;\n")),
    },
  ];
}

describe("every bad input is named: exit code, stable code, cause and fix, nothing changed, no secret", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const { command, args, env, database } = await testCase.setup();
    const before = database ? await fingerprint(database) : undefined;
    const run = await runRootScript(command, args, env);
    const output = run.stdout + run.stderr;
    expect(run.exitCode, output).toBe(testCase.exit);
    expect(output).toContain(testCase.code);
    expect(output).toMatch(testCase.says);
    if (testCase.code.includes("[")) expect(output).toMatch(/\n\s+fix: \S/);
    expect(output).not.toContain("toolkit.unexpected");
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(encodeURIComponent(SECRET));
    if (database) expect(await fingerprint(database)).toEqual(before);
  });

  it("a refusal prints a short summary and puts every difference in the apply log", async () => {
    const url = await legacyDatabase("sf_bad_summary", "DROP SCHEMA analytics CASCADE; DROP SCHEMA supplier CASCADE;");
    const dir = await tempDir("sf-bad-log");
    const run = await runRootScript("db:migrate", ["--apply-log", join(dir, "apply-log.json")], userEnv(url));
    expect(run.exitCode).toBe(2);
    expect(run.stdout.split("\n").length).toBeLessThan(30);
    expect(run.stdout).toMatch(/… and \d+ more \(all of them in .*apply-log\.json\)/);
    const log = JSON.parse(await readFile(join(dir, "apply-log.json"), "utf8")) as { structuralDifferences: unknown[] };
    expect(log.structuralDifferences.length).toBeGreaterThan(50);
  });

  it("two pending migrations with one timestamp: a note, and they run in their names' order as prisma migrate deploy runs them", async () => {
    const project = await withMigration("20251201000000_b_second", "CREATE INDEX CONCURRENTLY idx_brand_slug_b ON catalog.brand (slug);\n");
    await mkdir(join(project.migrationsDir, "20251201000000_a_first"));
    await writeFile(join(project.migrationsDir, "20251201000000_a_first", "migration.sql"), "CREATE INDEX CONCURRENTLY idx_brand_slug_a ON catalog.brand (slug);\n");
    const url = await migratedDatabase("sf_bad_same_stamp");
    const run = await runRootScript("db:migrate", ["--config", project.configPath, "--no-apply-log"], userEnv(url));
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("note [migrator.migration.duplicate-timestamp]: 20251201000000_a_first and 20251201000000_b_second share the timestamp 20251201000000");
    const order = await withClient(url, async (client) => (await client.query<{ name: string }>("SELECT migration_name AS name FROM _prisma_migrations WHERE migration_name LIKE '20251201%' ORDER BY started_at")).rows.map((row) => row.name));
    expect(order).toEqual(["20251201000000_a_first", "20251201000000_b_second"]);
  });

  it("SIGINT during a backfill: the attempt is recorded as interrupted with its progress, the way to resume is printed, and the next run continues after the last batch", async () => {
    const project = await withMigration(
      "20251201000000_slow_backfill",
      [
        "CREATE TABLE catalog.slow_touch (id int PRIMARY KEY, touched boolean NOT NULL DEFAULT false);",
        "INSERT INTO catalog.slow_touch (id) SELECT g FROM generate_series(1, 20000) AS g;",
        "-- migrator:repair touch-all",
        "-- migrator:why every row is touched once; slowly, so that the signal arrives between batches",
        "UPDATE catalog.slow_touch SET touched = true WHERE NOT touched AND pg_sleep(0.0004) IS NOT NULL;",
        "",
      ].join("\n"),
    );
    const url = await migratedDatabase("sf_bad_sigint_backfill");
    const dir = await tempDir("sf-bad-backfill");
    const { child, done } = startRootScript("db:migrate", ["--config", project.configPath, "--no-apply-log"], userEnv(url));
    await waitForOutput(child, "row(s) repaired");
    signalTree(child, "SIGINT");
    const run = await done;
    expect(run.exitCode, run.stdout + run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted \[migrator\.interrupted\]: 20251201000000_slow_backfill stopped during "repair touch-all \(keyset batches by id\)" after [\d,]+ of 20,000 rows \(up to key \d+\)/);
    expect(run.stderr).toContain("resume: pnpm db:migrate (it continues after the last committed step and batch; nothing done is redone)");
    const before = await withClient(url, async (client) => ({
      touched: (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM catalog.slow_touch WHERE touched")).rows[0]?.n ?? 0,
      attempt: (await client.query<{ finished: boolean; rolledBack: boolean; logs: string }>("SELECT finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS \"rolledBack\", logs FROM _prisma_migrations WHERE migration_name = '20251201000000_slow_backfill'")).rows[0],
    }));
    expect(before.touched).toBeGreaterThan(0);
    expect(before.touched).toBeLessThan(20_000);
    expect(before.attempt).toMatchObject({ finished: false, rolledBack: false, logs: expect.stringMatching(/interrupted by a signal at .* during repair touch-all .*rows visited, up to key \d+; committed steps and batches are kept/) });

    const again = await runRootScript("db:migrate", ["--config", project.configPath, "--apply-log", join(dir, "again.json")], userEnv(url));
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    const log = JSON.parse(await readFile(join(dir, "again.json"), "utf8")) as { migrations: Array<{ name: string; status: string; operations: Array<{ kind: string; steps: Array<{ rowsAffected?: number }> }> }> };
    const resumed = log.migrations.find((m) => m.name === "20251201000000_slow_backfill");
    expect(resumed?.status).toBe("resumed");
    // Only the rows the interrupted run had not reached: no batch was redone.
    expect(resumed?.operations.find((o) => o.kind === "repair")?.steps[0]?.rowsAffected).toBe(20_000 - before.touched);
    const after = await withClient(url, async (client) => (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM catalog.slow_touch WHERE touched")).rows[0]?.n);
    expect(after).toBe(20_000);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s mid-run: the statement in flight is cancelled, the attempt recorded, the lock released; the next run completes", async (signal, exitCode) => {
    const url = await legacyDatabase(`sf_bad_${signal.toLowerCase()}`, legacyRows);
    // An open snapshot makes CREATE INDEX CONCURRENTLY wait, so the signal arrives mid-statement.
    const reader = await connectClient(url);
    await reader.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await reader.query("SELECT count(*) FROM catalog.brand");
    const { child, done } = startRootScript("db:migrate", ["--no-apply-log"], userEnv(url));
    await waitForOutput(child, "build idx_product_description_null CONCURRENTLY");
    await new Promise((resolve) => setTimeout(resolve, 500));
    signalTree(child, signal);
    const run = await done;
    await reader.query("ROLLBACK");
    await reader.end();
    expect(run.exitCode, run.stdout + run.stderr).toBe(exitCode);
    expect(run.stderr).toContain(`${signal}: stopping`);
    const state = await withClient(url, async (client) => ({
      // This database's: other test files run on the same server at the same time.
      locks: (await client.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).rows[0],
      sessions: (await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'soleflip-migrator%' AND datname = current_database()")).rows[0],
      attempt: (await client.query("SELECT finished_at IS NULL AS unfinished, logs FROM _prisma_migrations WHERE migration_name LIKE '%_enrichment_partial_indexes'")).rows[0],
    }));
    expect(state.locks).toEqual({ n: 0 });
    expect(state.sessions).toEqual({ n: 0 });
    expect(state.attempt).toMatchObject({ unfinished: true, logs: expect.stringContaining("canceling statement due to user request") });
    const again = await runRootScript("db:migrate", ["--no-apply-log"], userEnv(url));
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
  });
});
