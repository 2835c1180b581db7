import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PLAIN_PRISMA_CONFIG, soleflipProject } from "@soleflip/db/paths";
import { spread, type Spread } from "./stats.ts";

const run = promisify(execFile);

export interface CreateTimeBench {
  runs: number;
  /** `pnpm db:migrate:create` as a user runs it (the CLI process, start to exit), template cached. */
  cliMs: Spread;
  /** The CLI doing nothing (`--help`): loading the toolkit's modules. */
  startupMs: Spread;
  /** Phases inside create, median per phase. */
  phasesMs: Record<string, number>;
}

/**
 * `db:migrate:create` warm: a copy of SoleFlip's project, a nullable column added to the schema, the
 * command run once to build the history template, then `runs` times, each migration removed after.
 */
export async function measureCreate(options: { workspaceRoot: string; scratchAdminUrl: string; runs: number; say: (line: string) => void }): Promise<CreateTimeBench> {
  const root = await mkdtemp(join(tmpdir(), "sf-bench-create-"));
  try {
    await cp(join(soleflipProject.root, "prisma"), join(root, "prisma"), { recursive: true });
    await writeFile(join(root, "prisma.config.ts"), PLAIN_PRISMA_CONFIG);
    const schemaPath = join(root, "prisma", "schema.prisma");
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(schemaPath, schema.replace(/(model Product \{\n)/, "$1  colorway String? @map(\"colorway_note\")\n"));
    const bin = join(options.workspaceRoot, "apps", "migrator", "bin", "migrator.mjs");
    // The scratch server is the bench's; no DATABASE_URL (--offline-lint reads no data).
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    const env = { ...inherited, SHADOW_DATABASE_URL: options.scratchAdminUrl };
    const existing = new Set(await readdir(join(root, "prisma", "migrations")));
    const create = async (name: string) => {
      const started = performance.now();
      const { stdout } = await run(process.execPath, [bin, "create", "--config", join(root, "prisma.config.ts"), "--name", name, "--offline-lint", "--json"], { env, maxBuffer: 64 * 1024 * 1024 }).catch(
        (error: { stdout?: string; code?: number }) => {
          // exit 2 (findings) still wrote the migration
          if (error.code === 2 && error.stdout) return { stdout: error.stdout };
          throw error;
        },
      );
      const elapsed = performance.now() - started;
      for (const entry of await readdir(join(root, "prisma", "migrations"))) if (!existing.has(entry)) await rm(join(root, "prisma", "migrations", entry), { recursive: true, force: true });
      return { elapsed, timings: (JSON.parse(stdout) as { timingsMs: Record<string, number> }).timingsMs };
    };
    options.say("  create: warming the history template, its spare copy and the command's bundle");
    await create("warm_up");
    const cli: number[] = [];
    const phases: Record<string, number[]> = {};
    for (let i = 0; i < options.runs; i++) {
      const { elapsed, timings } = await create(`bench_${i}`);
      cli.push(elapsed);
      for (const [phase, ms] of Object.entries(timings)) (phases[phase] ??= []).push(ms);
      options.say(`  create run ${i + 1}: ${Math.round(elapsed)} ms`);
    }
    const startup: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const started = performance.now();
      await run(process.execPath, [bin, "--help"], { env });
      startup.push(performance.now() - started);
    }
    return {
      runs: options.runs,
      cliMs: spread(cli),
      startupMs: spread(startup),
      phasesMs: Object.fromEntries(Object.entries(phases).map(([phase, values]) => [phase, spread(values).median])),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
