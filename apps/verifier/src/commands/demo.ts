import { writeFile } from "node:fs/promises";
import type pg from "pg";
import { basename, join } from "node:path";
import { listModelSchemas } from "@soleflip/catalog";
import { ExitCode, outputDir, ToolkitError, type OutputDir } from "@soleflip/core";
import { readLocalMigrations } from "@soleflip/history";
import { acquireDatabase, acquireScratchServer, databaseName, recreateOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { readDemoVariants, runSeed, type DemoVariant, type PrismaProject } from "@soleflip/project";
import { observeMigrations, readRehearsalConfig } from "@soleflip/rehearsal";
import { buildReport, readStateSummary, writeReport, type PerformanceScale, type RehearsalSection, type Report, type ReportFiles, type StateSummary } from "@soleflip/report";
import { runMigrations, runScript, type RunEvent, type RunLog, type RunOptions } from "@soleflip/runner";
import { proposeIndexes, verifyDatabase, type IndexProposal, type QueryMeasurement } from "@soleflip/verification";
import { embeddedSettings, type VerifierEnv } from "../env.ts";
import { comparisons, measureProjectQueries } from "./measure.ts";

export interface DemoArgs {
  /** The larger generated scale (1 is the project's real size, always run). */
  scale: number;
  runs: number;
  /** Where its files go (a run folder made when first needed, unless a folder is given). */
  reportDir: OutputDir;
  /** Names of the demo databases: <prefix> (real size) and <prefix>_x<scale>. */
  databasePrefix?: string | undefined;
  /** Extra demo.<name> settings for the seed (e.g. needs_enrichment=0.005). */
  seedSettings?: Record<string, string> | undefined;
}

export interface DemoResult {
  report: Report;
  files: ReportFiles;
  applyLogs: string[];
  exitCode: ExitCode;
}

export function defaultDemoPrefix(project: PrismaProject, workspaceRoot: string): string {
  return project.root === workspaceRoot ? "soleflip_demo" : `${basename(project.root).replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_demo`;
}

/**
 * The main job: in databases it creates and marks as its own (on the embedded server, or on
 * DATABASE_URL's server, never the DATABASE_URL database itself and never a database it did not make),
 * build the state of the project's first migration with demo data at the real size and at a larger
 * scale (and the project's data variants at the larger scale), vacuum and analyse it as autovacuum
 * would, measure, migrate (at the larger scale observed under synthetic writes), measure again, verify,
 * report.
 */
export async function demoCommand(args: DemoArgs, deps: { env: VerifierEnv; project: PrismaProject; workspaceRoot: string; say: (line: string) => void; onMigrationEvent?: (event: RunEvent) => void }): Promise<DemoResult> {
  const settings = { workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env), onProgress: deps.say };
  const server = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, session: { directDatabaseUrl: deps.env.DIRECT_DATABASE_URL }, ...settings });
  try {
    const scratch = await acquireScratchServer({ shadowDatabaseUrl: deps.env.SHADOW_DATABASE_URL, sameMajorAs: server.url, ...settings });
    try {
      const migrations = await readLocalMigrations(deps.project.migrationsDir);
      const baseline = migrations[0];
      if (!baseline) throw new ToolkitError({ code: "verifier.demo.no-migrations", summary: "The project has no migrations to start the demo from.", fix: "Create the first migration (db:migrate:create)." });
      const prefix = args.databasePrefix ?? defaultDemoPrefix(deps.project, deps.workspaceRoot);
      const target = deps.env.DATABASE_URL ? databaseName(deps.env.DATABASE_URL) : undefined;
      const scales = [...new Set([1, args.scale])];
      const largest = Math.max(...scales);
      const config = readRehearsalConfig(deps.project.root);
      // Each scale, then each of the project's data variants (e.g. the steady state) at the largest one.
      const datasets: Array<{ scale: number; variant?: DemoVariant }> = [...scales.map((scale) => ({ scale })), ...(await readDemoVariants(deps.project)).map((variant) => ({ scale: largest, variant }))];
      const performance: PerformanceScale[] = [];
      const applyLogs: string[] = [];
      let real: { url: string; before: StateSummary; applyLog: RunLog } | undefined;
      let rehearsal: RehearsalSection | undefined;

      for (const { scale, variant } of datasets) {
        const name = `${scale === 1 ? prefix : `${prefix}_x${scale}`}${variant ? `_${variant.id}` : ""}`;
        const sizeLabel = scale === 1 ? "the real size" : `${scale}× the real size`;
        if (name === target) {
          throw new ToolkitError({ code: "verifier.demo.target-database", summary: `The demo would rebuild ${name}, which is the DATABASE_URL database itself; it was left untouched.`, fix: "Point DATABASE_URL at another database of the server (e.g. postgres), or pass --database-prefix." });
        }
        const url = withDatabase(server.adminUrl, name);
        deps.say(`building ${baseline.name} with demo data in ${name} (scale ${scale})`);
        await recreateOwnedDatabase(server.adminUrl, name, "demo");
        await withClient(url, async (client) => {
          await runScript(client, baseline);
          await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
          await runSeed(client, deps.project, { scale, settings: { ...args.seedSettings, ...variant?.settings } });
          // What autovacuum would have done on a production database of this size: visibility map and statistics.
          await client.query("VACUUM (ANALYZE)");
        });
        deps.say("  measuring before");
        const before = await measureProjectQueries(url, deps.project, args.runs);
        const schemas = await withClient(url, (client) => listModelSchemas(client));
        const stateBefore = await withClient(url, (client) => readStateSummary(client, schemas));
        const runOptions: RunOptions = { databaseUrl: url, migrationsDir: deps.project.migrationsDir, scratchServer: async () => scratch, ...(deps.onMigrationEvent ? { onEvent: deps.onMigrationEvent } : {}) };
        let applyLog: RunLog;
        if (scale === largest && !variant) {
          // The larger scale's migration is watched under synthetic writes: what each statement did.
          deps.say(`  migrating ${name}, observed under synthetic writes`);
          const observed = await observeMigrations({ ...runOptions, config, load: true });
          applyLog = observed.log;
          rehearsal = { label: `${sizeLabel}, ${config.load.writersPerTable} writer(s) per touched table every ${config.load.intervalMs} ms`, budgetMs: config.writeBlockBudgetMs, summary: observed.observation, findings: observed.findings };
          await writeFile(join(await outputDir(args.reportDir), "observation.json"), `${JSON.stringify({ config, ...rehearsal }, null, 2)}\n`);
        } else {
          deps.say(`  migrating ${name}`);
          applyLog = await runMigrations(runOptions);
        }
        const logPath = join(await outputDir(args.reportDir), `apply-log${scale === 1 ? "" : `-x${scale}`}${variant ? `-${variant.id}` : ""}.json`);
        await writeFile(logPath, `${JSON.stringify(applyLog, null, 2)}\n`);
        applyLogs.push(logPath);
        deps.say(`  ${applyLog.outcome} in ${(applyLog.durationMs / 1000).toFixed(2)} s; measuring after`);
        // The state autovacuum would leave, as before the migration: statistics and the visibility map (whether
        // autovacuum happened to pass in between would otherwise decide between an index-only scan and another plan).
        await withClient(url, (client) => client.query("VACUUM (ANALYZE)"));
        const after = await measureProjectQueries(url, deps.project, args.runs);
        // At scale, on this database of ours: a candidate index for each query whose plan still filters a
        // large table, built, measured and dropped (a suggestion with its evidence).
        const proposals = scale === largest ? await withClient(url, (client) => proposeForAll(client, after, args.runs)) : undefined;
        const biggestTables = Object.entries(stateBefore.rowCounts).sort((a, b) => b[1] - a[1]).slice(0, 3);
        performance.push({ label: variant ? `${sizeLabel}, ${variant.label}` : sizeLabel, rows: Object.fromEntries(biggestTables), comparisons: comparisons(after, before), ...(proposals ? { proposals } : {}) });
        if (scale === 1 && !variant) real = { url, before: stateBefore, applyLog };
      }
      if (!real) throw new Error("the real-size run did not happen");
      deps.say(`verifying ${prefix} against the model`);
      const verification = await verifyDatabase({ databaseUrl: real.url, scratchAdminUrl: scratch.adminUrl, project: deps.project });
      const after = await withClient(real.url, (client) => readStateSummary(client, verification.schemas));
      const report = await buildReport({ projectRoot: deps.project.root, databaseUrl: real.url, verification, applyLog: real.applyLog, before: real.before, after, performance, rehearsal, migrations });
      const files = await writeReport(report, await outputDir(args.reportDir));
      const clean = verification.status === "pass" && (rehearsal?.findings.length ?? 0) === 0;
      return { report, files, applyLogs, exitCode: clean ? ExitCode.Ok : ExitCode.Findings };
    } finally {
      await scratch.release();
    }
  } finally {
    await server.release();
  }
}

async function proposeForAll(client: pg.ClientBase, measured: readonly QueryMeasurement[], runs: number): Promise<IndexProposal[]> {
  const proposals: IndexProposal[] = [];
  for (const entry of measured) if (entry.measurement) proposals.push(...(await proposeIndexes(client, entry.query, entry.measurement, { runs })));
  return proposals;
}
