import { readFile } from "node:fs/promises";
import { SOLEFLIP_SCHEMAS } from "@soleflip/catalog";
import { ExitCode, ToolkitError } from "@soleflip/core";
import { dbPackagePaths } from "@soleflip/db";
import { readLocalMigrations, type RunLog } from "@soleflip/migrator";
import { acquireDatabase, withClient } from "@soleflip/postgres";
import { embeddedSettings, type VerifierEnv } from "../env.ts";
import { CRITICAL_QUERIES } from "../performance/critical-queries.ts";
import { enrichmentCounts, measureAll } from "../performance/measure-scale.ts";
import { buildReport } from "../report/build-report.ts";
import type { PerformanceScale, Report } from "../report/model.ts";
import { readStateSummary } from "../report/state.ts";
import { writeReport, type ReportFiles } from "../report/write-report.ts";
import { verifyDatabase } from "../verify.ts";

export interface VerifyArgs {
  reportDir: string;
  applyLog?: string | undefined;
  performance: boolean;
  runs: number;
  only?: string[] | undefined;
}

/** `verify`: checks the database (DATABASE_URL or the embedded one) against the model and writes the report. */
export async function verifyCommand(args: VerifyArgs, deps: { env: VerifierEnv; workspaceRoot: string }): Promise<{ report: Report; files: ReportFiles; exitCode: ExitCode }> {
  const applyLog = args.applyLog
    ? await readFile(args.applyLog, "utf8").then((text) => JSON.parse(text) as RunLog).catch((error: unknown) => {
        throw new ToolkitError({ code: "verifier.apply-log.unreadable", summary: `Cannot read the apply log ${args.applyLog}.`, fix: "Pass the file `pnpm db:migrate` wrote (reports/apply-log.json), or omit --apply-log.", cause: error });
      })
    : undefined;
  const database = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) });
  try {
    const verification = await verifyDatabase({
      databaseUrl: database.url,
      serverUrl: deps.env.SHADOW_DATABASE_URL ?? database.adminUrl,
      schemaPath: dbPackagePaths.schema,
      migrationsDir: dbPackagePaths.migrations,
      ...(args.only ? { only: args.only } : {}),
    });
    const after = await withClient(database.url, (client) => readStateSummary(client, SOLEFLIP_SCHEMAS));
    const performance: PerformanceScale[] = [];
    if (args.performance && after.schemas.includes("catalog")) {
      const measured = await withClient(database.url, (client) => measureAll(client, args.runs));
      const counts = await withClient(database.url, (client) => enrichmentCounts(client));
      performance.push({
        label: "This database",
        ...counts,
        comparisons: CRITICAL_QUERIES.flatMap((query) => {
          const m = measured.get(query.id);
          return m ? [{ query: { id: query.id, title: query.title, sql: query.sql }, after: m }] : [];
        }),
      });
    }
    const report = await buildReport({ databaseUrl: database.url, verification, applyLog, after, performance, migrations: await readLocalMigrations(dbPackagePaths.migrations) });
    const files = await writeReport(report, args.reportDir);
    return { report, files, exitCode: verification.status === "pass" ? ExitCode.Ok : ExitCode.Findings };
  } finally {
    await database.release();
  }
}
