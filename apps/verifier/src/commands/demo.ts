import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SOLEFLIP_SCHEMAS } from "@soleflip/catalog";
import { ExitCode } from "@soleflip/core";
import { dbPackagePaths } from "@soleflip/db";
import { generateDemoData } from "@soleflip/demo-data";
import { readLocalMigrations, runMigrations, type RunEvent, type RunLog } from "@soleflip/migrator";
import { acquireDatabase, dropDatabase, ensureDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { embeddedSettings, type VerifierEnv } from "../env.ts";
import { CRITICAL_QUERIES } from "../performance/critical-queries.ts";
import { enrichmentCounts, measureAll } from "../performance/measure-scale.ts";
import { buildReport } from "../report/build-report.ts";
import type { PerformanceScale, Report } from "../report/model.ts";
import { readStateSummary, type StateSummary } from "../report/state.ts";
import { writeReport, type ReportFiles } from "../report/write-report.ts";
import { verifyDatabase } from "../verify.ts";

export interface DemoArgs {
  /** The larger generated scale (1 is SoleFlip's real size, always run). */
  scale: number;
  runs: number;
  reportDir: string;
  /** Names of the demo databases: <prefix> (real size) and <prefix>_x<scale>. */
  databasePrefix?: string | undefined;
}

export interface DemoResult {
  report: Report;
  files: ReportFiles;
  applyLogs: string[];
  exitCode: ExitCode;
}


/**
 * The main job: on a server it owns (the embedded one, or scratch databases on DATABASE_URL's server;
 * never the DATABASE_URL database itself), build the pre-fix production state with demo data at the
 * real size and at a larger scale, measure, migrate, measure again, verify, and write the report.
 */
export async function demoCommand(args: DemoArgs, deps: { env: VerifierEnv; workspaceRoot: string; say: (line: string) => void; onMigrationEvent?: (event: RunEvent) => void }): Promise<DemoResult> {
  const server = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env), onProgress: deps.say });
  try {
    const migrations = await readLocalMigrations(dbPackagePaths.migrations);
    const legacy = await readFile(dbPackagePaths.legacySchema, "utf8");
    const scales = [...new Set([1, args.scale])];
    const performance: PerformanceScale[] = [];
    const applyLogs: string[] = [];
    let real: { url: string; before: StateSummary; applyLog: RunLog } | undefined;

    for (const scale of scales) {
      const prefix = args.databasePrefix ?? "soleflip_demo";
      const name = scale === 1 ? prefix : `${prefix}_x${scale}`;
      const url = withDatabase(server.adminUrl, name);
      deps.say(`building the pre-fix production state with demo data in ${name} (scale ${scale})`);
      await dropDatabase(server.adminUrl, name);
      await ensureDatabase(server.adminUrl, name);
      const summary = await withClient(url, async (client) => {
        await client.query(legacy);
        await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
        return generateDemoData(client, { scale });
      });
      deps.say(`  ${summary.products.toLocaleString("en-US")} products, ${summary.stock.toLocaleString("en-US")} stock rows, ${summary.orders.toLocaleString("en-US")} orders; measuring before`);
      const before = await withClient(url, (client) => measureAll(client, args.runs));
      const stateBefore = await withClient(url, (client) => readStateSummary(client, SOLEFLIP_SCHEMAS));
      deps.say(`  migrating ${name}`);
      const applyLog = await runMigrations({ databaseUrl: url, migrationsDir: dbPackagePaths.migrations, ...(deps.onMigrationEvent ? { onEvent: deps.onMigrationEvent } : {}) });
      const logPath = join(args.reportDir, scale === 1 ? "apply-log.json" : `apply-log-x${scale}.json`);
      await mkdir(args.reportDir, { recursive: true });
      await writeFile(logPath, `${JSON.stringify(applyLog, null, 2)}\n`);
      applyLogs.push(logPath);
      deps.say(`  ${applyLog.outcome} in ${(applyLog.durationMs / 1000).toFixed(2)} s; measuring after`);
      const after = await withClient(url, (client) => measureAll(client, args.runs));
      const counts = await withClient(url, (client) => enrichmentCounts(client));
      performance.push({
        label: scale === 1 ? "SoleFlip's real size" : `Generated, ${scale}× the real size`,
        ...counts,
        comparisons: CRITICAL_QUERIES.map((query) => {
          const measured = after.get(query.id);
          if (!measured) throw new Error(`no measurement of ${query.id}`);
          return { query: { id: query.id, title: query.title, sql: query.sql }, before: before.get(query.id), after: measured };
        }),
      });
      if (scale === 1) real = { url, before: stateBefore, applyLog };
    }
    if (!real) throw new Error("the real-size run did not happen");
    deps.say(`verifying ${args.databasePrefix ?? "soleflip_demo"} against the model`);
    const verification = await verifyDatabase({ databaseUrl: real.url, serverUrl: deps.env.SHADOW_DATABASE_URL ?? server.adminUrl, schemaPath: dbPackagePaths.schema, migrationsDir: dbPackagePaths.migrations });
    const after = await withClient(real.url, (client) => readStateSummary(client, SOLEFLIP_SCHEMAS));
    const report = await buildReport({ databaseUrl: real.url, verification, applyLog: real.applyLog, before: real.before, after, performance, migrations });
    const files = await writeReport(report, args.reportDir);
    return { report, files, applyLogs, exitCode: verification.status === "pass" ? ExitCode.Ok : ExitCode.Findings };
  } finally {
    await server.release();
  }
}
