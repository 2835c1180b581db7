import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { dbPackagePaths } from "@soleflip/db/paths";
import { legacyRows } from "@soleflip/db/testing";
import { createScratchDatabase, SUPPORTED_MAJORS, withClient, type PostgresMajor } from "@soleflip/postgres";
import { embeddedServerOf, repositoryRoot, runRootScript, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";

interface Project {
  name: string;
  /** Extra arguments of every command (the project's config). */
  args: string[];
  /** What the database holds before `db:migrate`. */
  prepare: (url: string) => Promise<void>;
  migrated: RegExp;
  verified: RegExp;
}

const PROJECTS: Project[] = [
  {
    // The 2025 fix on the pre-fix production structure with rows: adoption, pre-flight, NOT VALID +
    // VALIDATE, concurrent indexes, the declared repairs.
    name: "SoleFlip from its pre-fix structure with rows",
    args: [],
    prepare: async (url) => {
      const sql = [await readFile(dbPackagePaths.legacySchema, "utf8"), "SELECT pg_catalog.set_config('search_path', 'public', false)", await readFile(legacyRows, "utf8")];
      await withClient(url, async (client) => {
        for (const statement of sql) await client.query(statement);
      });
    },
    migrated: /All migrations applied\./,
    verified: /11 of 11 checks pass/,
  },
  {
    name: "the shop example (public schema, enums, composite key) from empty",
    args: ["--config", "examples/shop/prisma.config.ts"],
    prepare: async () => undefined,
    migrated: /All migrations applied\./,
    verified: /checks pass/,
  },
];

/**
 * The version matrix inside the default suite: on a private embedded server of every supported major,
 * each project goes through the README's `pnpm db:migrate` and `pnpm db:verify` (the scratch server is
 * the same major), and both must hold. `pnpm test:matrix` runs the whole suite on each major.
 */
const CASES = SUPPORTED_MAJORS.flatMap((major) => PROJECTS.map((project) => ({ major, project, title: `PostgreSQL ${major}: ${project.name}` })));

describe("every supported PostgreSQL major: migrate and verify from the repository root", () => {
  it.each(CASES)("$title", async ({ major, project }) => {
    const server = await serverFor(major);
    const database = await createScratchDatabase(server.adminUrl, { prefix: "sf_matrix" });
    await project.prepare(database.url);
    const env = { DATABASE_URL: database.url, SHADOW_DATABASE_URL: server.adminUrl };

    const migrated = await runRootScript("db:migrate", project.args, env, { cwd: repositoryRoot });
    expect(migrated.exitCode, output(migrated)).toBe(0);
    expect(output(migrated)).toMatch(project.migrated);

    const reportDir = await tempDir("sf-matrix-report");
    const verified = await runRootScript("db:verify", [...project.args, "--report-dir", reportDir], env, { cwd: repositoryRoot });
    expect(verified.exitCode, output(verified)).toBe(0);
    expect(output(verified)).toMatch(project.verified);
    const report = JSON.parse(await readFile(join(reportDir, "report.json"), "utf8")) as { database?: { serverVersion?: string } };
    expect(JSON.stringify(report)).toContain(`"${major}.`);

    // a second run changes nothing
    const again = await runRootScript("db:migrate", project.args, env, { cwd: repositoryRoot });
    expect(again.exitCode, output(again)).toBe(0);
    expect(output(again)).toMatch(/up to date/);
  });
});

function output(run: { stdout: string; stderr: string }): string {
  return run.stdout + run.stderr;
}

const servers = new Map<PostgresMajor, ReturnType<typeof embeddedServerOf>>();
function serverFor(major: PostgresMajor): ReturnType<typeof embeddedServerOf> {
  const started = servers.get(major) ?? embeddedServerOf(major);
  servers.set(major, started);
  return started;
}

describe("scratch work runs on the target's major", () => {
  it("db:verify of a PostgreSQL 14 database without SHADOW_DATABASE_URL builds its expected state on an embedded PostgreSQL 14", async () => {
    const target = await serverFor(14);
    const database = await createScratchDatabase(target.adminUrl, { prefix: "sf_matrix_scratch" });
    const dir = await tempDir("sf-matrix-embedded");
    const env = { DATABASE_URL: database.url, SHADOW_DATABASE_URL: target.adminUrl };
    const migrated = await runRootScript("db:migrate", [], env, { cwd: repositoryRoot });
    expect(migrated.exitCode, output(migrated)).toBe(0);

    const reportDir = await tempDir("sf-matrix-scratch-report");
    const verified = await runRootScript("db:verify", ["--report-dir", reportDir, "--no-performance"], { DATABASE_URL: database.url, SOLEFLIP_PG_DATA_DIR: join(dir, "pg") }, { cwd: repositoryRoot });
    expect(verified.exitCode, output(verified)).toBe(0);
    expect(output(verified)).toMatch(/11 of 11 checks pass/);
    expect((await readFile(join(dir, "pg-14", "PG_VERSION"), "utf8")).trim()).toBe("14");
  });
});
