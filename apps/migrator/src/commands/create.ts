import { checkMigration, createMigration, migrationToCheck, validateMigrationName, type CreateResult } from "@soleflip/authoring";
import { acquireDatabase, acquireScratchServer } from "@soleflip/postgres";
import type { PrismaProject } from "@soleflip/project";
import { embeddedSettings, type MigratorEnv } from "../env.ts";

export interface CreateArgs {
  name: string;
  /** Re-check an existing migration (the newest, or the one named) instead of creating one. */
  check?: { migration?: string | undefined } | undefined;
  /** Lint with the database's data (rows present, NULLs, orphans, duplicates); false lints without it. */
  lintWithDatabase: boolean;
  /** Prisma's own form (a drop and an add, a rewrite) even where an online form exists. */
  plain?: boolean;
}

/**
 * `create --name`: the scratch work (the history's structure, the trial) happens on the scratch server,
 * the embedded PostgreSQL unless SHADOW_DATABASE_URL says otherwise; the target database (DATABASE_URL or
 * the embedded one) is only read, for the data rules.
 */
export async function createCommand(args: CreateArgs, deps: { env: MigratorEnv; project: PrismaProject; workspaceRoot: string; now?: Date }): Promise<CreateResult> {
  // Bad input is refused before any server is reached.
  if (args.check) await migrationToCheck(deps.project.migrationsDir, args.check.migration);
  else validateMigrationName(args.name);
  const settings = { workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) };
  const scratch = await acquireScratchServer({ shadowDatabaseUrl: deps.env.SHADOW_DATABASE_URL, sameMajorAs: deps.env.DATABASE_URL, ...settings });
  try {
    const target = args.lintWithDatabase ? await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, ...settings }) : undefined;
    try {
      if (args.check) return await checkMigration({ project: deps.project, migration: args.check.migration, scratchAdminUrl: scratch.adminUrl, targetUrl: target?.url });
      return await createMigration({ project: deps.project, name: args.name, scratchAdminUrl: scratch.adminUrl, targetUrl: target?.url, plain: args.plain === true, ...(deps.now ? { now: deps.now } : {}) });
    } finally {
      await target?.release();
    }
  } finally {
    await scratch.release();
  }
}
