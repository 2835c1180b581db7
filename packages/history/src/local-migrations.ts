import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { parseStatements, type ParsedStatement } from "@soleflip/sql";

export interface LocalMigration {
  name: string;
  directory: string;
  sql: string;
  /** sha256 of migration.sql, as Prisma computes it for _prisma_migrations.checksum. */
  checksum: string;
  statements: ParsedStatement[];
  downSql: string | undefined;
}

/**
 * Reads every migration directory in Prisma's layout (<timestamp>_<name>/migration.sql, optional
 * down.sql) and parses each file with PostgreSQL's parser. A syntax error fails here, before anything
 * touches a database.
 */
export async function readLocalMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  if (!existsSync(migrationsDir)) {
    throw new ToolkitError({
      code: "history.migrations-missing",
      summary: `There is no migrations folder at ${migrationsDir}.`,
      fix: "Run from the project's folder, pass --migrations <dir> or --config <prisma.config.ts>, or create the first migration with `db:migrate:create`.",
    });
  }
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: unknown) => {
    throw new ToolkitError({ code: "history.migrations-unreadable", summary: `Cannot read the migrations folder ${migrationsDir}.`, fix: "Check its permissions.", cause: error });
  });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const migrations: LocalMigration[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const directory = join(migrationsDir, name);
    const sql = await readFile(join(directory, "migration.sql"), "utf8").catch(() => undefined);
    if (sql === undefined) {
      problems.push(`${name}: no migration.sql`);
      continue;
    }
    migrations.push({
      name,
      directory,
      sql,
      checksum: checksumOf(sql),
      statements: await parseStatements(sql, `${name}/migration.sql`),
      downSql: await readFile(join(directory, "down.sql"), "utf8").catch(() => undefined),
    });
  }
  if (problems.length > 0) {
    throw new ToolkitError({
      code: "history.migrations-invalid",
      summary: `The migrations folder holds directories without a migration.sql:\n  ${problems.join("\n  ")}`,
      fix: "Remove them or add their migration.sql; nothing was changed in the database.",
    });
  }
  return migrations;
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}
