import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { WasmSchemaEngine } from "./engine.ts";

const POSTGRESQL_LOCK_FILE = 'provider = "postgresql"\n';

export type MigrationList = Parameters<WasmSchemaEngine["applyMigrations"]>[0]["migrationsList"];

/** Reads a Prisma migrations folder into the shape the engine takes, as the CLI does. */
export async function readMigrationList(baseDir: string): Promise<MigrationList> {
  const lockfilePath = "migration_lock.toml";
  // A history without its lock file (written by hand, or the file not committed) is read the way
  // `prisma migrate dev` treats it before writing one: for the datasource's provider, the only one we take.
  const lockfile = await readFile(join(baseDir, lockfilePath), "utf8").catch(() => POSTGRESQL_LOCK_FILE);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const directories = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const migrationDirectories = await Promise.all(
    directories.map(async (path) => {
      const content = await readFile(join(baseDir, path, "migration.sql"), "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (error: unknown) => ({ tag: "error" as const, value: String(error) }),
      );
      return { path, migrationFile: { path: "migration.sql", content } };
    }),
  );
  return { baseDir, lockfile: { path: lockfilePath, content: lockfile }, shadowDbInitScript: "", migrationDirectories };
}

export const noSchemaFilter = { externalTables: [], externalEnums: [] };
