import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ExitCode } from "@soleflip/core";
import { dbPackagePaths } from "@soleflip/db";
import { acquireDatabase } from "@soleflip/postgres";
import { runMigrations, type RunEvent } from "../apply/run-migrations.ts";
import type { RunLog } from "../apply/run-log.ts";
import { embeddedSettings, type MigratorEnv } from "../env.ts";

export interface MigrateArgs {
  dryRun: boolean;
  lockTimeoutMs: number;
  maxRetries: number;
  lockWaitSeconds: number;
  /** Where the apply log goes; `false` for none. */
  applyLog: string | false;
  migrationsDir?: string | undefined;
}

export interface MigrateDeps {
  env: MigratorEnv;
  workspaceRoot: string;
  onEvent?: (event: RunEvent) => void;
  onProgress?: (message: string) => void;
}

export interface MigrateResult {
  log: RunLog;
  applyLogPath: string | undefined;
  exitCode: ExitCode;
}

export function defaultApplyLogPath(workspaceRoot: string): string {
  return join(workspaceRoot, "reports", "apply-log.json");
}

/** `migrate`: brings DATABASE_URL (or the embedded database) to the head of the migration history. */
export async function migrateCommand(args: MigrateArgs, deps: MigrateDeps): Promise<MigrateResult> {
  const database = await acquireDatabase({
    databaseUrl: deps.env.DATABASE_URL,
    workspaceRoot: deps.workspaceRoot,
    ...embeddedSettings(deps.env),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
  });
  try {
    const log = await runMigrations({
      databaseUrl: database.url,
      migrationsDir: args.migrationsDir ?? dbPackagePaths.migrations,
      shadowDatabaseUrl: deps.env.SHADOW_DATABASE_URL,
      dryRun: args.dryRun,
      execution: { lockTimeoutMs: args.lockTimeoutMs, maxRetries: args.maxRetries },
      lockWaitMs: args.lockWaitSeconds * 1000,
      ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
    });
    let applyLogPath: string | undefined;
    if (args.applyLog !== false) {
      applyLogPath = args.applyLog;
      await mkdir(dirname(applyLogPath), { recursive: true });
      await writeFile(applyLogPath, `${JSON.stringify(log, null, 2)}\n`);
    }
    return { log, applyLogPath, exitCode: exitCodeFor(log) };
  } finally {
    await database.release();
  }
}

export function exitCodeFor(log: RunLog): ExitCode {
  switch (log.outcome) {
    case "applied":
    case "up-to-date":
    case "dry-run":
      return ExitCode.Ok;
    case "preflight-failed":
    case "structure-differs":
      return ExitCode.Findings;
    case "failed":
      return ExitCode.ToolFailed;
  }
}
