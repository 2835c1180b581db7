import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { asPrisma7, loadProject } from "@soleflip/corpus";
import { PLAIN_PRISMA_CONFIG, soleflipProject } from "@soleflip/db/paths";
import { PRISMA_LOCK_FILE, runPrisma } from "@soleflip/schema-engine";
import { spread, type Spread } from "./stats.ts";

const run = promisify(execFile);

export interface CreatePaceProject {
  name: string;
  models: number;
  migrations: number;
  /** `db:migrate:create --name …` (the CLI process), the history template cached. */
  oursMs: Spread;
  /**
   * Prisma's own step of `prisma migrate dev --create-only`: `prisma migrate diff --from-migrations
   * --to-schema --script`, the history replayed into a shadow database and diffed (the CLI process).
   */
  prismaMs: Spread;
}

export interface CreatePaceBench {
  runs: number;
  projects: CreatePaceProject[];
}



/** A project as a folder: SoleFlip's own, or langfuse at the end of its history (corpus) with its team's migrations. */
async function projectFolder(name: "soleflip" | "langfuse", root: string): Promise<void> {
  // No shadowDatabaseUrl: Prisma then makes a shadow database of its own on the server and drops it after,
  // as `prisma migrate dev` does (a configured one would be written into, and must be empty).
  await writeFile(join(root, "prisma.config.ts"), PLAIN_PRISMA_CONFIG);
  if (name === "soleflip") {
    await cp(join(soleflipProject.root, "prisma"), join(root, "prisma"), { recursive: true });
    return;
  }
  const last = loadProject("langfuse").steps.at(-1);
  if (!last) throw new Error("the langfuse corpus has no steps");
  const migrations = join(root, "prisma", "migrations");
  await mkdir(migrations, { recursive: true });
  await writeFile(join(root, "prisma", "schema.prisma"), asPrisma7(last.schema));
  await writeFile(join(migrations, "migration_lock.toml"), PRISMA_LOCK_FILE);
  for (const migration of last.theirMigrations) {
    await mkdir(join(migrations, migration.name));
    await writeFile(join(migrations, migration.name, "migration.sql"), migration.sql);
  }
}

/**
 * The weekly loop's pace against Prisma's: one nullable column added to the first model, then, `runs`
 * times each and interleaved, our `create` (warm: the template built by a first run) and Prisma's diff
 * from the migrations folder, which is what `prisma migrate dev --create-only` computes. Prisma runs with
 * its engine compiled to WebAssembly, the one this machine can run (its native engine cannot be downloaded).
 */
export async function measureCreatePace(options: { workspaceRoot: string; scratchAdminUrl: string; runs: number; say: (line: string) => void }): Promise<CreatePaceBench> {
  const projects: CreatePaceProject[] = [];
  for (const name of ["soleflip", "langfuse"] as const) {
    const root = await mkdtemp(join(tmpdir(), `sf-bench-pace-${name}-`));
    try {
      await projectFolder(name, root);
      const schemaPath = join(root, "prisma", "schema.prisma");
      const schema = await readFile(schemaPath, "utf8");
      const edited = schema.replace(/^(model \w+ \{\n)/m, "$1  benchNote String?\n");
      if (edited === schema) throw new Error(`${name}: no model to add a column to`);
      await writeFile(schemaPath, edited);
      const migrationsDir = join(root, "prisma", "migrations");
      const existing = new Set(await readdir(migrationsDir));
      const { DATABASE_URL: _unused, ...inherited } = process.env;
      // Prisma's DATABASE_URL is only the server to make its shadow database on; ours is the scratch server.
      const prismaEnv = { ...inherited, DATABASE_URL: options.scratchAdminUrl };
      const env = { ...inherited, SHADOW_DATABASE_URL: options.scratchAdminUrl };
      const bin = join(options.workspaceRoot, "apps", "migrator", "bin", "migrator.mjs");
      const ours = async (label: string) => {
        const started = performance.now();
        await run(process.execPath, [bin, "create", "--config", join(root, "prisma.config.ts"), "--name", label, "--offline-lint", "--json"], { env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { code?: number; stderr?: string }) => {
          if (error.code !== 2) throw new Error(`create on ${name} exited ${error.code}: ${error.stderr ?? ""}`);
        });
        const elapsed = performance.now() - started;
        for (const entry of await readdir(migrationsDir)) if (!existing.has(entry)) await rm(join(migrationsDir, entry), { recursive: true, force: true });
        return elapsed;
      };
      const prisma = async () => {
        const started = performance.now();
        const result = await runPrisma(["migrate", "diff", "--from-migrations", migrationsDir, "--to-schema", schemaPath, "--script"], { cwd: root, env: prismaEnv });
        if (result.exitCode !== 0 || !/ADD COLUMN\s+"benchNote"/.test(result.stdout)) throw new Error(`prisma migrate diff on ${name} exited ${result.exitCode}: ${result.stderr.slice(-1500)} ${result.stdout.slice(-1500)}`);
        return performance.now() - started;
      };
      options.say(`  pace ${name}: warming (the history template, ${existing.size - 1} migrations)`);
      await ours("warm_up");
      const oursMs: number[] = [];
      const prismaMs: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        oursMs.push(await ours(`pace_${i}`));
        prismaMs.push(await prisma());
        options.say(`  pace ${name} run ${i + 1}: create ${Math.round(oursMs.at(-1) ?? 0)} ms, prisma migrate diff ${Math.round(prismaMs.at(-1) ?? 0)} ms`);
      }
      projects.push({ name, models: (edited.match(/^model /gm) ?? []).length, migrations: existing.size - 1, oursMs: spread(oursMs), prismaMs: spread(prismaMs) });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  return { runs: options.runs, projects };
}
