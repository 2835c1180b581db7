import { ExitCode, ToolkitError } from "@soleflip/core";
import { dbPackagePaths } from "@soleflip/db";
import { acquireDatabase, withClient } from "@soleflip/postgres";
import { embeddedSettings, type MigratorEnv } from "../env.ts";
import { readLocalMigrations } from "../history/local-migrations.ts";
import type { Finding } from "../lint/finding.ts";
import { countsAgainst, lintMigrations } from "../lint/lint.ts";

export interface LintArgs {
  migrations: string[];
  offline: boolean;
  largeTableRows: number;
  migrationsDir?: string | undefined;
}

/** `lint`: squawk plus our rules over the migrations (all after the baseline, or the named ones); exit 2 on findings. */
export async function lintCommand(args: LintArgs, deps: { env: MigratorEnv; workspaceRoot: string }): Promise<{ findings: Finding[]; exitCode: ExitCode }> {
  const all = await readLocalMigrations(args.migrationsDir ?? dbPackagePaths.migrations);
  // The baseline records the pre-fix production structure; it is adopted, never applied to a populated
  // database, so it is linted only when named.
  const selected = args.migrations.length === 0 ? all.slice(1) : all.filter((migration) => args.migrations.some((name) => migration.name === name || migration.name.endsWith(`_${name}`)));
  const unknown = args.migrations.filter((name) => !all.some((migration) => migration.name === name || migration.name.endsWith(`_${name}`)));
  if (unknown.length > 0) {
    throw new ToolkitError({ code: "migrator.lint.unknown-migration", summary: `No migration named ${unknown.join(", ")}.`, fix: `Known: ${all.map((m) => m.name).join(", ")}` });
  }
  let findings: Finding[];
  if (args.offline) {
    findings = await lintMigrations(selected, { largeTableRows: args.largeTableRows });
  } else {
    const database = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) });
    try {
      findings = await withClient(database.url, (client) => lintMigrations(selected, { client, largeTableRows: args.largeTableRows }));
    } finally {
      await database.release();
    }
  }
  return { findings, exitCode: countsAgainst(findings).length > 0 ? ExitCode.Findings : ExitCode.Ok };
}
