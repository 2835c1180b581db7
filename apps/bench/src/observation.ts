import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDemoData } from "@soleflip/db/demo";
import { dbPackagePaths } from "@soleflip/db/paths";
import { lockStrength, type LockMode } from "@soleflip/planner";
import { createOwnedDatabase, dropOwnedDatabase, recreateOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { DEFAULT_REHEARSAL_CONFIG, observeMigrations } from "@soleflip/rehearsal";
import { runMigrations } from "@soleflip/runner";
import { BENCH_SETUP, OBSERVATION_CASES } from "./observation-cases.ts";
import { round, spread, type Spread } from "./stats.ts";

export interface ObservationAccuracyCase {
  id: string;
  sql: string;
  documented: { lock: LockMode; rewrite: boolean };
  predicted: LockMode;
  observed: { lock: LockMode; rewrite: boolean; writesBlocked: number; longestWaitMs: number };
  /** Whether the rehearsal reported a difference from the plan (unpredicted lock or rewrite). */
  flagged: boolean;
  /** The observation saw what PostgreSQL documents. */
  observedAsDocumented: boolean;
  predictedRewrite: boolean;
  /** The plan predicted a weaker lock than was observed, or no rewrite where one happened. */
  underPredicted: boolean;
  /** …and the rehearsal did not say so. */
  missed: boolean;
}

export interface ObservationBench {
  rows: number;
  accuracy: ObservationAccuracyCase[];
  overhead: { scale: number; rounds: number; plainMs: Spread; observedMs: Spread; observedWithLoadMs: Spread };
}

const TABLE = "public.item";

function strongest(modes: readonly LockMode[]): LockMode {
  return modes.reduce<LockMode>((a, b) => (lockStrength(b) > lockStrength(a) ? b : a), "NONE");
}

async function accuracyCase(adminUrl: string, rows: number, id: string, sql: string, documented: { lock: LockMode; rewrite: boolean }): Promise<ObservationAccuracyCase> {
  const name = "bench_observe_case";
  await recreateOwnedDatabase(adminUrl, name, "scratch");
  const url = withDatabase(adminUrl, name);
  const dir = await mkdtemp(join(tmpdir(), "sf-bench-observe-"));
  try {
    await mkdir(join(dir, "20250101000000_setup"));
    await writeFile(join(dir, "20250101000000_setup", "migration.sql"), BENCH_SETUP(rows));
    const setup = await runMigrations({ databaseUrl: url, migrationsDir: dir });
    if (setup.outcome !== "applied") throw new Error(`setup of ${id}: ${setup.outcome}`);
    await withClient(url, (client) => client.query("VACUUM ANALYZE"));
    await mkdir(join(dir, "20250102000000_change"));
    await writeFile(join(dir, "20250102000000_change", "migration.sql"), `${sql}\n`);
    const run = await observeMigrations({ databaseUrl: url, migrationsDir: dir, config: DEFAULT_REHEARSAL_CONFIG, load: true });
    if (run.log.outcome !== "applied") throw new Error(`${id}: ${run.log.outcome} ${JSON.stringify(run.log.failure ?? run.log.preflight.filter((p) => !p.passed))}`);
    const steps = run.observation.steps;
    const predicted = strongest(steps.filter((s) => s.predicted.tables.includes(TABLE)).map((s) => s.predicted.lock));
    const observedLock = strongest(steps.flatMap((s) => s.locks.filter((l) => l.relation === TABLE).map((l) => l.mode)));
    const observed = {
      lock: observedLock,
      rewrite: steps.some((s) => s.rewrites.includes(TABLE)),
      writesBlocked: steps.reduce((n, s) => n + s.writesBlocked.count, 0),
      longestWaitMs: Math.max(0, ...steps.map((s) => s.writesBlocked.longestMs)),
    };
    const flagged = run.findings.some((f) => f.code === "rehearsal.unpredicted-lock" || f.code === "rehearsal.unacknowledged-rewrite");
    const predictedRewrite = steps.some((s) => s.hazards.includes("REWRITES_TABLE"));
    const underPredicted = lockStrength(observedLock) > lockStrength(predicted) || (observed.rewrite && !predictedRewrite);
    return { id, sql, documented, predicted, predictedRewrite, observed, flagged, observedAsDocumented: observed.lock === documented.lock && observed.rewrite === documented.rewrite, underPredicted, missed: underPredicted && !flagged };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await dropOwnedDatabase(adminUrl, name).catch(() => undefined);
  }
}

/**
 * The observed rehearsal, measured: (1) on statements whose locks and rewrites PostgreSQL documents,
 * whether it sees them and flags every prediction they prove wrong; (2) what observing costs: the
 * SoleFlip fix at `scale` applied plain, observed, and observed under the synthetic writers, on copies
 * of one template, interleaved.
 */
export async function measureObservation(options: { adminUrl: string; rows: number; scale: number; rounds: number; say: (line: string) => void }): Promise<ObservationBench> {
  const accuracy: ObservationAccuracyCase[] = [];
  for (const entry of OBSERVATION_CASES) {
    const result = await accuracyCase(options.adminUrl, options.rows, entry.id, entry.sql, entry.documented);
    accuracy.push(result);
    options.say(`  ${entry.id}: documented ${entry.documented.lock}${entry.documented.rewrite ? " + rewrite" : ""}; predicted ${result.predicted}${result.predictedRewrite ? " + rewrite" : ""}; observed ${result.observed.lock}${result.observed.rewrite ? " + rewrite" : ""}${result.flagged ? " (flagged)" : ""}`);
  }

  const template = `bench_observe_template_x${options.scale}`;
  await recreateOwnedDatabase(options.adminUrl, template, "cache");
  await withClient(withDatabase(options.adminUrl, template), async (client) => {
    await client.query(await readFile(dbPackagePaths.legacySchema, "utf8"));
    await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
    await generateDemoData(client, { scale: options.scale });
    await client.query("VACUUM ANALYZE");
  });
  const times = { plain: [] as number[], observed: [] as number[], load: [] as number[] };
  for (let r = 0; r < options.rounds; r++) {
    for (const mode of ["plain", "observed", "load"] as const) {
      const name = "bench_observe_run";
      await dropOwnedDatabase(options.adminUrl, name).catch(() => undefined);
      await createOwnedDatabase(options.adminUrl, name, "scratch", { template });
      const url = withDatabase(options.adminUrl, name);
      const run = { databaseUrl: url, migrationsDir: dbPackagePaths.migrations, scratchServer: async () => ({ adminUrl: options.adminUrl }) };
      const started = performance.now();
      const outcome = mode === "plain" ? (await runMigrations(run)).outcome : (await observeMigrations({ ...run, config: DEFAULT_REHEARSAL_CONFIG, load: mode === "load" })).log.outcome;
      const elapsed = performance.now() - started;
      if (outcome !== "applied") throw new Error(`overhead run ${mode}: ${outcome}`);
      times[mode].push(elapsed);
      options.say(`  round ${r + 1} ${mode}: ${round(elapsed)} ms`);
      await dropOwnedDatabase(options.adminUrl, name);
    }
  }
  await dropOwnedDatabase(options.adminUrl, template);
  return { rows: options.rows, accuracy, overhead: { scale: options.scale, rounds: options.rounds, plainMs: spread(times.plain), observedMs: spread(times.observed), observedWithLoadMs: spread(times.load) } };
}
