import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { soleflipProject } from "@soleflip/db/paths";
import { catalogSnapshot, type CatalogRow } from "@soleflip/db/testing";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, afterFile } from "@soleflip/postgres/testing";
import { runMigrations, type RunOptions } from "../src/run-migrations.ts";
import type { RunLog } from "../src/run-log.ts";

export { legacyRows } from "@soleflip/db/testing";

/** Runs the migrator in-process on `url` with SoleFlip's migrations (or `migrationsDir`); scratch work on the test server. */
export function migrate(url: string, options: Partial<RunOptions> = {}): Promise<RunLog> {
  return runMigrations({ databaseUrl: url, migrationsDir: soleflipProject.migrationsDir, lockWaitMs: 5_000, scratchServer: async () => ({ adminUrl: adminDatabaseUrl() }), ...options });
}

export function snapshot(url: string): Promise<CatalogRow[]> {
  return catalogSnapshot(url);
}

export async function query<T extends Record<string, unknown>>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query<T>(sql, values)).rows);
}

export async function historyRows(url: string): Promise<Array<{ migration_name: string; finished: boolean; rolled_back: boolean; checksum: string }>> {
  return query(
    url,
    `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back, checksum
     FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );
}

/** A throwaway copy of SoleFlip's migrations folder, to edit or extend in a test. */
export async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sf-migrations-"));
  afterFile(() => rm(dir, { recursive: true, force: true }));
  await cp(soleflipProject.migrationsDir, join(dir, "migrations"), { recursive: true });
  return join(dir, "migrations");
}

export function operation(log: RunLog, migration: string, operationId: string) {
  return log.migrations.find((m) => m.name.endsWith(migration))?.operations.find((op) => op.operationId === operationId);
}
