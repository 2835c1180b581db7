import { ExitCode } from "@soleflip/core";
import { acquireDatabase } from "@soleflip/postgres";
import type { PrismaProject } from "@soleflip/project";
import { rollbackMigrations, type RollbackResult } from "@soleflip/runner";
import { embeddedSettings, type MigratorEnv } from "../env.ts";

/** `rollback <names…>`: down.sql, newest first, after the same pre-flight as the way up. */
export async function rollbackCommand(args: { names: string[]; dryRun: boolean; lockWaitSeconds: number }, deps: { env: MigratorEnv; project: PrismaProject; workspaceRoot: string }): Promise<{ result: RollbackResult; exitCode: ExitCode }> {
  const database = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, session: { directDatabaseUrl: deps.env.DIRECT_DATABASE_URL }, workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) });
  try {
    const result = await rollbackMigrations({ databaseUrl: database.url, migrationsDir: deps.project.migrationsDir, names: args.names, dryRun: args.dryRun, lockWaitMs: args.lockWaitSeconds * 1000 });
    return { result, exitCode: result.outcome === "preflight-failed" ? ExitCode.Findings : ExitCode.Ok };
  } finally {
    await database.release();
  }
}
