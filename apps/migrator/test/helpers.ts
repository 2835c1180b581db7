import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSnapshot, SOLEFLIP_SCHEMAS, type SnapshotRow } from "@soleflip/catalog";
import { dbPackagePaths } from "@soleflip/db";
import { withClient } from "@soleflip/postgres";
import { afterAll } from "vitest";
import { runMigrations, type RunOptions } from "../src/apply/run-migrations.ts";
import type { RunLog } from "../src/apply/run-log.ts";

export const legacyRows = new URL("./fixtures/legacy-rows.sql", import.meta.url);

/** Runs the migrator in-process on `url` with the project's migrations (or `migrationsDir`). */
export function migrate(url: string, options: Partial<RunOptions> = {}): Promise<RunLog> {
  return runMigrations({ databaseUrl: url, migrationsDir: dbPackagePaths.migrations, lockWaitMs: 5_000, ...options });
}

export function snapshot(url: string): Promise<SnapshotRow[]> {
  return withClient(url, (client) => readSnapshot(client, SOLEFLIP_SCHEMAS));
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

/** A throwaway copy of the project's migrations folder, to edit or extend in a test. */
export async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sf-migrations-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  await cp(dbPackagePaths.migrations, join(dir, "migrations"), { recursive: true });
  return join(dir, "migrations");
}

export function operation(log: RunLog, migration: string, operationId: string) {
  return log.migrations.find((m) => m.name.endsWith(migration))?.operations.find((op) => op.operationId === operationId);
}
