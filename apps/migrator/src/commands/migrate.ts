import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ExitCode } from "@soleflip/core";
import { acquireDatabase, acquireScratchServer, type ScratchServer } from "@soleflip/postgres";
import type { PrismaProject } from "@soleflip/project";
import { exitCodeFor, runMigrations, type RunEvent, type RunLog } from "@soleflip/runner";
import { embeddedSettings, type MigratorEnv } from "../env.ts";

export interface MigrateArgs {
  dryRun: boolean;
  lockTimeoutMs: number;
  maxRetries: number;
  lockWaitSeconds: number;
  /** Where the apply log goes; `false` for none. */
  applyLog: string | false;
}

export interface MigrateDeps {
  env: MigratorEnv;
  project: PrismaProject;
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

/**
 * `migrate`: brings DATABASE_URL (or the embedded database) to the head of the project's history. A
 * scratch server (for adopting a database made outside Prisma) is started only when it is needed.
 */
export async function migrateCommand(args: MigrateArgs, deps: MigrateDeps): Promise<MigrateResult> {
  const settings = { workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env), ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) };
  const database = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, ...settings });
  let scratch: ScratchServer | undefined;
  try {
    const log = await runMigrations({
      databaseUrl: database.url,
      migrationsDir: deps.project.migrationsDir,
      scratchServer: async () => (scratch ??= await acquireScratchServer({ shadowDatabaseUrl: deps.env.SHADOW_DATABASE_URL, ...settings })),
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
    await scratch?.release();
    await database.release();
  }
}
