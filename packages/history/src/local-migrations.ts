import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { parseStatements, type ParsedStatement } from "@soleflip/sql";

/** A migration directory as files, not yet parsed. */
export interface LocalMigrationFile {
  name: string;
  directory: string;
  sql: string;
  /** sha256 of migration.sql, as Prisma computes it for _prisma_migrations.checksum. */
  checksum: string;
  downSql: string | undefined;
}

export interface LocalMigration extends LocalMigrationFile {
  statements: ParsedStatement[];
}

/**
 * Reads every migration directory in Prisma's layout (<timestamp>_<name>/migration.sql, optional
 * down.sql) and parses each file (or only those in `names`) with PostgreSQL's parser. A syntax error
 * fails here, before anything touches a database.
 */
export async function readLocalMigrations(migrationsDir: string, options: { names?: readonly string[] } = {}): Promise<LocalMigration[]> {
  const files = await listLocalMigrations(migrationsDir);
  const migrations: LocalMigration[] = [];
  for (const file of files) {
    if (options.names && !options.names.includes(file.name)) continue;
    migrations.push({ ...file, statements: await parseStatements(file.sql, `${file.name}/migration.sql`) });
  }
  return migrations;
}

/**
 * The migration directories with their SQL and checksums, unparsed: enough to name the history (e.g. a
 * cache key) without paying for parsing a long baseline.
 */
export async function listLocalMigrations(migrationsDir: string): Promise<LocalMigrationFile[]> {
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
  const migrations: LocalMigrationFile[] = [];
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
