import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { parseStatements, type ParsedStatement } from "@soleflip/sql";
import { parse as parseToml } from "smol-toml";

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
  await checkLockFile(migrationsDir);
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const migrations: LocalMigrationFile[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const directory = join(migrationsDir, name);
    const bytes = await readFile(join(directory, "migration.sql")).catch(() => undefined);
    const sql = bytes === undefined ? undefined : decodeUtf8(bytes, `${name}/migration.sql`);
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

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A migration file is UTF-8, as Prisma reads it: another encoding (Latin-1, Windows-1252) would be stored
 * with replacement characters in place of its letters, so it is refused with the line that is not UTF-8.
 */
function decodeUtf8(bytes: Buffer, source: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let index = 0; index <= bytes.length; index++) {
      if (index < bytes.length && bytes[index] !== 0x0a) continue;
      try {
        STRICT_UTF8.decode(bytes.subarray(start, index));
      } catch {
        break;
      }
      line++;
      start = index + 1;
    }
    throw new ToolkitError({
      code: "history.not-utf8",
      summary: `${source} is not UTF-8: line ${line} holds bytes that are not (a file saved as Latin-1 or Windows-1252?). PostgreSQL and Prisma would store its text with replacement characters.`,
      fix: `Convert it, e.g. iconv -f latin1 -t utf-8 ${source} -o ${source}.utf8 && mv ${source}.utf8 ${source}, and check the converted text. Nothing was changed in the database.`,
    });
  }
}

/**
 * migration_lock.toml names the provider the history was made for; Prisma refuses a history of another
 * provider (P3019), and so does the toolkit, which is PostgreSQL's. A folder without the file is read as
 * PostgreSQL's, as Prisma does before it writes one.
 */
async function checkLockFile(migrationsDir: string): Promise<void> {
  const path = join(migrationsDir, "migration_lock.toml");
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return;
  let provider: unknown;
  try {
    provider = parseToml(text)["provider"];
  } catch (error) {
    throw new ToolkitError({ code: "history.lock-file-invalid", summary: `${path} is not valid TOML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}.`, fix: 'Restore it as Prisma writes it: provider = "postgresql". Nothing was changed in the database.', cause: error });
  }
  if (provider !== "postgresql") {
    throw new ToolkitError({
      code: "history.provider-mismatch",
      summary: `migration_lock.toml says the history was made for provider ${JSON.stringify(provider ?? "(none)")}, not "postgresql" (Prisma refuses this too, P3019): its SQL is another database's.`,
      fix: 'Point --migrations (or prisma.config.ts) at the PostgreSQL history. If the file alone is wrong, set provider = "postgresql" in it. Nothing was changed in the database.',
    });
  }
}
