import { readWholeLiveSchema } from "@soleflip/catalog";
import { ExitCode, ToolkitError } from "@soleflip/core";
import { readLocalMigrations } from "@soleflip/history";
import { countsAgainst, lintMigrations, type Finding } from "@soleflip/lint";
import { acquireDatabase, serverVersionNum, withClient } from "@soleflip/postgres";
import type { PrismaProject } from "@soleflip/project";
import { recogniseMigrations } from "@soleflip/runner";
import { embeddedSettings, type MigratorEnv } from "../env.ts";

export interface LintArgs {
  migrations: string[];
  offline: boolean;
  largeTableRows: number;
}

/** `lint`: squawk plus our rules over the migrations (all after the first, or the named ones); exit 2 on findings. */
export async function lintCommand(args: LintArgs, deps: { env: MigratorEnv; project: PrismaProject; workspaceRoot: string }): Promise<{ findings: Finding[]; exitCode: ExitCode }> {
  const all = recogniseMigrations(await readLocalMigrations(deps.project.migrationsDir));
  const matches = (migration: { name: string }, name: string) => migration.name === name || migration.name.endsWith(`_${name}`);
  const unknown = args.migrations.filter((name) => !all.some((migration) => matches(migration, name)));
  if (unknown.length > 0) {
    throw new ToolkitError({ code: "migrator.lint.unknown-migration", summary: `No migration named ${unknown.join(", ")}.`, fix: `Known: ${all.map((m) => m.name).join(", ")}` });
  }
  // The first migration is the baseline: it builds an empty database, so it is linted only when named.
  const selected = args.migrations.length === 0 ? all.slice(1) : all.filter((migration) => args.migrations.some((name) => matches(migration, name)));
  let findings: Finding[];
  if (args.offline) {
    findings = await lintMigrations(selected, { largeTableRows: args.largeTableRows });
  } else {
    const database = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) });
    try {
      findings = await withClient(database.url, async (client) => {
        const structure = await readWholeLiveSchema(client);
        return lintMigrations(selected, { client, structure, serverVersionNum: await serverVersionNum(client), largeTableRows: args.largeTableRows });
      }, { readOnly: true });
    } finally {
      await database.release();
    }
  }
  return { findings, exitCode: countsAgainst(findings).length > 0 ? ExitCode.Findings : ExitCode.Ok };
}
