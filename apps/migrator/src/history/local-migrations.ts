import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { parseStatements, type ParsedStatement } from "@soleflip/sql";
import { recogniseOperations } from "../plan/recognise.ts";
import type { Operation } from "../plan/operations.ts";

export interface LocalMigration {
  name: string;
  directory: string;
  sql: string;
  /** sha256 of migration.sql, as Prisma computes it for _prisma_migrations.checksum. */
  checksum: string;
  statements: ParsedStatement[];
  operations: Operation[];
  downSql: string | undefined;
}

/**
 * Reads every migration directory (Prisma's layout: <timestamp>_<name>/migration.sql, optional down.sql),
 * parses each file with PostgreSQL's parser and recognises its operations. Any syntax error or bad
 * directive fails here, before anything touches the database.
 */
export async function readLocalMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: unknown) => {
    throw new ToolkitError({
      code: "migrator.migrations.unreadable",
      summary: `Cannot read the migrations folder ${migrationsDir}`,
      fix: "Run from the repository, or pass --migrations <dir>.",
      cause: error,
    });
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
    const source = `${name}/migration.sql`;
    const statements = await parseStatements(sql, source);
    const recognised = recogniseOperations(statements, source);
    problems.push(...recognised.problems);
    migrations.push({
      name,
      directory,
      sql,
      checksum: checksumOf(sql),
      statements,
      operations: recognised.operations,
      downSql: await readFile(join(directory, "down.sql"), "utf8").catch(() => undefined),
    });
  }
  if (problems.length > 0) {
    throw new ToolkitError({
      code: "migrator.migrations.invalid",
      summary: `The migrations cannot be applied as written:\n  ${problems.join("\n  ")}`,
      fix: "Fix the listed files; nothing was changed in the database.",
    });
  }
  return migrations;
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}
