import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { legacyDatabase, legacyRows, migratedDatabase, projectCopy } from "@soleflip/db/testing";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, runRootScript, scratchDatabase, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { userEnv } from "./support.ts";

interface Case {
  /** The README's command, as typed after `pnpm`. */
  command: string;
  why: string;
  /** Prepares the database (and files) and returns the arguments and environment. */
  setup: () => Promise<{ args: string[]; env: Record<string, string>; check?: () => Promise<void> }>;
  exit: 0 | 1 | 2;
  output: RegExp;
}

/** The schema without Marketplace.supportsFees: Prisma drops the column supports_fees. */
const removeField = (schema: string) => schema.replace(/\n\s+supportsFees\s+Boolean\?[^\n]*/, "");

/** Brand.name searched by trigram: the operator class comes from pg_trgm, which no migration creates yet. */
const addTrigramIndex = (schema: string) => {
  const edited = schema.replace(/(\n  @@map\("brand"\))/, '\n  @@index([name(ops: raw("gin_trgm_ops"))], type: Gin)$1');
  if (edited === schema) throw new Error("Brand's @@map not found: the edit would test nothing");
  return edited;
};

/** The migration folders of a project, to prove a command wrote none. */
const folders = async (dir: string) => (await readdir(dir)).sort();

/**
 * The README's exit-code table, held to: each command run exactly as the README shows it (`pnpm <script>`
 * from the repository root), its exit code and the line that says why.
 */
const CASES: Case[] = [
  { command: "db:migrate", why: "an empty database is migrated", exit: 0, output: /All migrations applied\./, setup: async () => ({ args: [], env: userEnv((await scratchDatabase("sf_x_empty")).url) }) },
  { command: "db:migrate", why: "a migrated database is up to date", exit: 0, output: /up to date/, setup: async () => ({ args: [], env: userEnv(await migratedDatabase("sf_x_uptodate")) }) },
  {
    command: "db:migrate",
    why: "a pre-flight check fails (orphan rows): nothing changed",
    exit: 2,
    output: /Pre-flight checks failed: nothing was changed/,
    setup: async () => ({
      args: [],
      env: userEnv(await legacyDatabase("sf_x_orphans", legacyRows, "ALTER TABLE inventory.stock DROP CONSTRAINT stock_size_id_fkey; UPDATE inventory.stock SET size_id = gen_random_uuid() WHERE id = (SELECT min(id::text)::uuid FROM inventory.stock);")),
    }),
  },
  {
    command: "db:migrate",
    why: "someone else's database is refused",
    exit: 2,
    output: /refused \[migrator\.target\.not-empty\]/,
    setup: async () => {
      const db = await scratchDatabase("sf_x_foreign");
      await withClient(db.url, (client) => client.query("CREATE TABLE public.invoices (id int)"));
      return { args: [], env: userEnv(db.url) };
    },
  },
  { command: "db:migrate", why: "an unreachable database is a tool failure", exit: 1, output: /error \[postgres\.unreachable\]/, setup: async () => ({ args: [], env: userEnv("postgresql://app:pw@127.0.0.1:1/x") }) },
  {
    command: "db:verify",
    why: "a migrated database holds, and the report is written",
    exit: 0,
    output: /11 of 11 checks pass/,
    setup: async () => {
      const dir = await tempDir("sf-x-report");
      return {
        args: ["--report-dir", dir],
        env: userEnv(await migratedDatabase("sf_x_verify_ok")),
        check: async () => {
          expect(JSON.parse(await readFile(join(dir, "report.json"), "utf8"))).toMatchObject({ status: "pass" });
          expect(await readFile(join(dir, "pr-comment.md"), "utf8")).toMatch(/^<!-- soleflip-schema-report -->\n# .* schema report ✅/);
        },
      };
    },
  },
  {
    command: "db:verify",
    why: "a foreign key with NO ACTION is a finding",
    exit: 2,
    output: /✗ foreign-keys-match/,
    setup: async () => {
      const url = await migratedDatabase("sf_x_verify_fk");
      await withClient(url, (client) =>
        client.query("ALTER TABLE inventory.stock DROP CONSTRAINT stock_product_id_fkey, ADD CONSTRAINT stock_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id)"),
      );
      return { args: ["--no-performance", "--report-dir", await tempDir("sf-x-report")], env: userEnv(url) };
    },
  },
  {
    command: "db:verify",
    why: "a history without migration_lock.toml is read as Prisma reads it (provider postgresql)",
    exit: 0,
    output: /Verification: (\d+) of \1 checks pass/,
    setup: async () => {
      const project = await projectCopy();
      await rm(join(project.migrationsDir, "migration_lock.toml"));
      return { args: ["--config", project.configPath ?? "", "--no-performance", "--report-dir", await tempDir("sf-x-report")], env: userEnv(await migratedDatabase("sf_x_verify_nolock")) };
    },
  },
  { command: "db:verify", why: "an unknown check id is bad input", exit: 1, output: /error \[verifier\.unknown-check\]/, setup: async () => ({ args: ["--check", "colums-match"], env: userEnv(await migratedDatabase("sf_x_verify_typo")) }) },
  { command: "db:verify", why: "a database of another project is refused", exit: 2, output: /refused \[verifier\.not-this-project\]/, setup: async () => ({ args: ["--report-dir", await tempDir("sf-x-report")], env: userEnv((await scratchDatabase("sf_x_verify_empty")).url) }) },
  {
    command: "db:migrate:create",
    why: "no schema change: nothing to write",
    exit: 0,
    output: /no migration needed/,
    setup: async () => ({ args: ["--config", (await projectCopy()).configPath ?? "", "--name", "nothing"], env: userEnv((await scratchDatabase("sf_x_create_none")).url) }),
  },
  {
    command: "db:migrate:create",
    why: "a dropped column is written, with a hazard finding",
    exit: 2,
    output: /ban-unacknowledged-hazard/,
    setup: async () => {
      const project = await projectCopy();
      await writeFile(project.schemaPath, removeField(await readFile(project.schemaPath, "utf8")));
      return {
        args: ["--config", project.configPath ?? "", "--name", "drop_supports_fees"],
        env: userEnv(await migratedDatabase("sf_x_create_drop")),
        check: async () => expect((await readdir(project.migrationsDir)).some((name) => name.endsWith("_drop_supports_fees"))).toBe(true),
      };
    },
  },
  {
    command: "db:migrate:create",
    why: "a schema Prisma rejects (P1012) is bad input: its message with file:line:col, nothing written",
    exit: 1,
    output: /error \[prisma\.schema-invalid\][\s\S]*schema\.prisma:\d+:\d+[\s\S]*Strin[\s\S]*fix: .*pnpm prisma validate/,
    setup: async () => {
      const project = await projectCopy();
      await writeFile(project.schemaPath, (await readFile(project.schemaPath, "utf8")).replace(/(\n\s+slug\s+)String/, "$1Strin"));
      const before = await folders(project.migrationsDir);
      return { args: ["--config", project.configPath ?? "", "--name", "typo"], env: userEnv((await scratchDatabase("sf_x_create_typo")).url), check: async () => expect(await folders(project.migrationsDir)).toEqual(before) };
    },
  },
  {
    command: "db:migrate:create",
    why: "a migration that needs the author's edit (an extension made by hand) is written, with the statement, the error and the fix",
    exit: 2,
    output: /require-applying-migration[\s\S]*operator class "gin_trgm_ops" does not exist[\s\S]*CREATE EXTENSION IF NOT EXISTS pg_trgm;[\s\S]*pnpm db:migrate:create --check/,
    setup: async () => {
      const project = await projectCopy();
      await writeFile(project.schemaPath, addTrigramIndex(await readFile(project.schemaPath, "utf8")));
      return {
        args: ["--config", project.configPath ?? "", "--name", "brand_name_search"],
        env: userEnv((await scratchDatabase("sf_x_create_trgm")).url),
        check: async () => {
          const folder = (await readdir(project.migrationsDir)).find((name) => name.endsWith("_brand_name_search")) ?? "";
          expect(await readFile(join(project.migrationsDir, folder, "migration.sql"), "utf8")).toMatch(/USING gin \(name gin_trgm_ops\)/);
        },
      };
    },
  },
  {
    command: "db:migrate:create",
    why: "--check after the author's edit: the edited migration applies, reaches the schema and its down.sql restores",
    exit: 0,
    output: /brand_name_search/,
    setup: async () => {
      const project = await projectCopy();
      await writeFile(project.schemaPath, addTrigramIndex(await readFile(project.schemaPath, "utf8")));
      const env = userEnv((await scratchDatabase("sf_x_create_trgm_fixed")).url);
      const created = await runRootScript("db:migrate:create", ["--config", project.configPath ?? "", "--name", "brand_name_search"], env);
      expect(created.exitCode, created.stdout + created.stderr).toBe(2);
      const folder = (await readdir(project.migrationsDir)).find((name) => name.endsWith("_brand_name_search")) ?? "";
      const file = join(project.migrationsDir, folder, "migration.sql");
      await writeFile(file, `CREATE EXTENSION IF NOT EXISTS pg_trgm;\n${await readFile(file, "utf8")}`);
      return { args: ["--config", project.configPath ?? "", "--check"], env };
    },
  },
  { command: "db:migrate:create", why: "--check of a migration that is not in the history is bad input", exit: 1, output: /error \[migrator\.check\.unknown-migration\]/, setup: async () => ({ args: ["--check", "20990101000000_nope"], env: userEnv("postgresql://app:pw@127.0.0.1:1/x") }) },
  { command: "db:migrate:create", why: "--check with --name is bad input (one checks, the other writes)", exit: 1, output: /error \[migrator\.create\.check-with-name\]/, setup: async () => ({ args: ["--check", "--name", "x"], env: userEnv("postgresql://app:pw@127.0.0.1:1/x") }) },
  { command: "db:migrate:create", why: "a bad migration name is bad input", exit: 1, output: /error \[migrator\.create\.bad-name\]/, setup: async () => ({ args: ["--name", "Add-Thing"], env: userEnv("postgresql://app:pw@127.0.0.1:1/x") }) },
  { command: "db:lint", why: "the project's migrations lint clean against a migrated database", exit: 0, output: /0 finding\(s\)/, setup: async () => ({ args: [], env: userEnv(await migratedDatabase("sf_x_lint")) }) },
  {
    command: "db:lint",
    why: "an unacknowledged DROP COLUMN is a finding",
    exit: 2,
    output: /ban-unacknowledged-hazard/,
    setup: async () => {
      const project = await projectCopy();
      const dir = join(project.migrationsDir, "20251201000000_drop_supports_fees");
      await mkdir(dir);
      await writeFile(join(dir, "migration.sql"), 'ALTER TABLE "platform"."marketplace" DROP COLUMN "supports_fees";\n');
      return { args: ["--offline", "--config", project.configPath ?? ""], env: {} };
    },
  },
  {
    command: "db:rollback",
    why: "the newest migration rolls back",
    exit: 0,
    output: /rolled back 20251117000200_enrichment_partial_indexes/,
    setup: async () => ({ args: ["20251117000200_enrichment_partial_indexes"], env: userEnv(await migratedDatabase("sf_x_rollback")) }),
  },
  {
    command: "db:rollback",
    why: "a migration without down.sql is bad input",
    exit: 1,
    output: /error \[migrator\.rollback\.no-down-sql\]/,
    setup: async () => ({ args: ["20251117000000_baseline"], env: userEnv(await migratedDatabase("sf_x_rollback_base")) }),
  },
  {
    command: "db:migrate",
    why: "--observe on a database the toolkit made: every step watched under synthetic writes, within budget",
    exit: 0,
    output: /Observed \(each step as it ran\):[\s\S]*Within budget[\s\S]*Load: on, the toolkit made this database/,
    setup: async () => {
      const file = join(await tempDir("sf-x-observe"), "observation.json");
      return {
        args: ["--observe", "--observation", file],
        env: userEnv(await legacyDatabase("sf_x_observe", legacyRows)),
        check: async () => {
          const written = JSON.parse(await readFile(file, "utf8"));
          expect(written.findings).toEqual([]);
          expect(written.steps.length).toBeGreaterThan(10);
          expect(written.load.enabled).toBe(true);
        },
      };
    },
  },
  {
    command: "db:migrate",
    why: "--observe: a statement that keeps writes waiting past the budget is a finding",
    exit: 2,
    output: /rehearsal\.write-block-over-budget: .*a write to catalog\.product waited \d+(\.\d)? ms behind this step \(budget 100 ms/,
    setup: async () => {
      const project = await projectCopy();
      await writeFile(join(project.root, "rehearsal.config.json"), JSON.stringify({ writeBlockBudgetMs: 100 }));
      await mkdir(join(project.migrationsDir, "29990101000000_slow_change"));
      await writeFile(
        join(project.migrationsDir, "29990101000000_slow_change", "migration.sql"),
        "BEGIN;\nALTER TABLE catalog.product ADD COLUMN observed_note text;\nSELECT pg_sleep(0.4);\nCOMMIT;\n",
      );
      return { args: ["--observe", "--config", project.configPath ?? "", "--observation", join(await tempDir("sf-x-observe"), "o.json")], env: userEnv(await migratedDatabase("sf_x_observe_slow")) };
    },
  },
  {
    command: "db:migrate",
    why: "--observe on a database the toolkit did not make: no synthetic writers unless asked",
    exit: 0,
    output: /Load: off, not a database the toolkit made/,
    setup: async () => {
      // Their database: made without the toolkit, so without its ownership mark.
      const name = `sf_x_observe_theirs_${Date.now().toString(36)}`;
      await withClient(adminDatabaseUrl(), (client) => client.query(`CREATE DATABASE ${name}`));
      return {
        args: ["--observe", "--observation", join(await tempDir("sf-x-observe"), "o.json")],
        env: userEnv(adminDatabaseUrl().replace(/\/postgres$/, `/${name}`)),
        check: async () => {
          await withClient(adminDatabaseUrl(), (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
        },
      };
    },
  },
  { command: "migrator", why: "--help", exit: 0, output: /Usage: soleflip-migrator/, setup: async () => ({ args: ["--help"], env: {} }) },
  { command: "migrator", why: "an unknown command", exit: 1, output: /unknown command 'frobnicate'/, setup: async () => ({ args: ["frobnicate"], env: {} }) },
  { command: "db:migrate", why: "an unknown flag", exit: 1, output: /unknown option '--frobnicate'/, setup: async () => ({ args: ["--frobnicate"], env: {} }) },
  { command: "prisma", why: "Prisma's own status agrees", exit: 0, output: /Database schema is up to date!/, setup: async () => ({ args: ["migrate", "status"], env: userEnv(await migratedDatabase("sf_x_prisma")) }) },
];

describe("the README's exit codes, through the root commands", () => {
  it.each(CASES.map((c) => [`pnpm ${c.command} → ${c.exit}: ${c.why}`, c] as const))("%s", async (_, testCase) => {
    const { args, env, check } = await testCase.setup();
    const run = await runRootScript(testCase.command, args, env);
    expect(run.exitCode, run.stdout + run.stderr).toBe(testCase.exit);
    expect(run.stdout + run.stderr).toMatch(testCase.output);
    expect(run.stdout + run.stderr).not.toContain("toolkit.unexpected");
    await check?.();
  });
});

describe("npx prisma from the repository root", () => {
  it("works as Prisma's documentation says: the root prisma.config.ts points the CLI at the offline engine and the project's database", async () => {
    const { spawn } = await import("node:child_process");
    const { repositoryRoot } = await import("@soleflip/postgres/testing");
    const url = await migratedDatabase("sf_x_npx_prisma");
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(join(repositoryRoot, "node_modules", ".bin", "prisma"), ["migrate", "status"], { cwd: repositoryRoot, env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", DATABASE_URL: url } });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("close", (code) => resolve({ code, out }));
    });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("3 migrations found in prisma/migrations");
    expect(run.out).toContain("Database schema is up to date!");
  });
});
