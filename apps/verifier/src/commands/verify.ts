import { readFile } from "node:fs/promises";
import { ExitCode, outputDir, ToolkitError, type OutputDir } from "@soleflip/core";
import { readLocalMigrations } from "@soleflip/history";
import { acquireDatabase, acquireScratchServer, withClient } from "@soleflip/postgres";
import type { PrismaProject } from "@soleflip/project";
import { buildReport, readStateSummary, writeReport, type PerformanceScale, type Report, type ReportFiles } from "@soleflip/report";
import type { RunLog } from "@soleflip/runner";
import { assertKnownChecks, verifyDatabase, type Verification } from "@soleflip/verification";
import { embeddedSettings, type VerifierEnv } from "../env.ts";
import { comparisons, measureProjectQueries } from "./measure.ts";

export interface VerifyArgs {
  /** Where its files go (a run folder made when first needed, unless a folder is given). */
  reportDir: OutputDir;
  applyLog?: string | undefined;
  performance: boolean;
  runs: number;
  only?: string[] | undefined;
}

export interface VerifyResult {
  verification: Verification;
  report?: Report | undefined;
  files?: ReportFiles | undefined;
  exitCode: ExitCode;
}

/**
 * `verify`: checks the database (DATABASE_URL or the embedded one) against the project's model and
 * writes the report. The database is only read; the expected state is built on the scratch server.
 */
export async function verifyCommand(args: VerifyArgs, deps: { env: VerifierEnv; project: PrismaProject; workspaceRoot: string }): Promise<VerifyResult> {
  assertKnownChecks(args.only);
  const applyLog = args.applyLog
    ? await readFile(args.applyLog, "utf8").then((text) => JSON.parse(text) as RunLog).catch((error: unknown) => {
        throw new ToolkitError({ code: "verifier.apply-log.unreadable", summary: `Cannot read the apply log ${args.applyLog}.`, fix: "Pass the file `pnpm db:migrate` wrote (reports/migrate/apply-log.json for the newest run), or omit --apply-log.", cause: error });
      })
    : undefined;
  const settings = { workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) };
  const database = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, ...settings });
  try {
    const scratch = await acquireScratchServer({ shadowDatabaseUrl: deps.env.SHADOW_DATABASE_URL, sameMajorAs: database.url, ...settings });
    try {
      const verification = await verifyDatabase({ databaseUrl: database.url, scratchAdminUrl: scratch.adminUrl, project: deps.project, only: args.only });
      if (verification.refusal) return { verification, exitCode: ExitCode.Findings };
      const after = await withClient(database.url, (client) => readStateSummary(client, verification.schemas), { readOnly: true });
      const performance: PerformanceScale[] = [];
      if (args.performance) {
        const measured = await measureProjectQueries(database.url, deps.project, args.runs);
        if (measured.length > 0) performance.push({ label: "This database", rows: {}, comparisons: comparisons(measured) });
      }
      const report = await buildReport({ projectRoot: deps.project.root, databaseUrl: database.url, verification, applyLog, after, performance, migrations: await readLocalMigrations(deps.project.migrationsDir) });
      const files = await writeReport(report, await outputDir(args.reportDir));
      return { verification, report, files, exitCode: verification.status === "pass" ? ExitCode.Ok : ExitCode.Findings };
    } finally {
      await scratch.release();
    }
  } finally {
    await database.release();
  }
}
