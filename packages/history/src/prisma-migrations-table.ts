import { randomUUID } from "node:crypto";
import type pg from "pg";

/**
 * Prisma's own bookkeeping table, written the way Prisma writes it, so that `prisma migrate status` and
 * `prisma migrate deploy` agree with what this runner did. It lives in the connection's default schema
 * (public), as Prisma puts it.
 */
export interface HistoryRow {
  id: string;
  checksum: string;
  migrationName: string;
  startedAt: Date;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  logs: string | null;
  appliedStepsCount: number;
}

const TABLE = `"public"."_prisma_migrations"`;

export async function historyTableExists(client: pg.ClientBase): Promise<boolean> {
  const result = await client.query<{ exists: boolean }>("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists");
  return result.rows[0]?.exists === true;
}

export async function ensureHistoryTable(client: pg.ClientBase): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
  )`);
}

export async function readHistory(client: pg.ClientBase): Promise<HistoryRow[]> {
  if (!(await historyTableExists(client))) return [];
  const result = await client.query<{
    id: string; checksum: string; migration_name: string; started_at: Date; finished_at: Date | null;
    rolled_back_at: Date | null; logs: string | null; applied_steps_count: number;
  }>(`SELECT * FROM ${TABLE} ORDER BY started_at, migration_name`);
  return result.rows.map((row) => ({
    id: row.id,
    checksum: row.checksum,
    migrationName: row.migration_name,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rolledBackAt: row.rolled_back_at,
    logs: row.logs,
    appliedStepsCount: row.applied_steps_count,
  }));
}

export async function recordStarted(client: pg.ClientBase, name: string, checksum: string): Promise<string> {
  const id = randomUUID();
  await client.query(`INSERT INTO ${TABLE} (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`, [id, checksum, name]);
  return id;
}

export async function recordFinished(client: pg.ClientBase, id: string): Promise<void> {
  await client.query(`UPDATE ${TABLE} SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
}

/** Appends the failure to the attempt's logs (which may hold the journal of committed steps). */
export async function recordFailed(client: pg.ClientBase, id: string, logs: string): Promise<void> {
  await client.query(`UPDATE ${TABLE} SET logs = coalesce(logs, '') || $2 WHERE id = $1`, [id, logs]);
}

/** Marks an interrupted attempt rolled back (as `prisma migrate resolve --rolled-back` does) before resuming. */
export async function recordRolledBack(client: pg.ClientBase, id: string): Promise<void> {
  await client.query(`UPDATE ${TABLE} SET rolled_back_at = now() WHERE id = $1`, [id]);
}

/** Marks every finished, current attempt of a migration rolled back (after its down.sql ran). */
export async function markRolledBack(client: pg.ClientBase, name: string): Promise<void> {
  await client.query(`UPDATE ${TABLE} SET rolled_back_at = now() WHERE migration_name = $1 AND rolled_back_at IS NULL`, [name]);
}

/** Records an existing structure as this migration, applied (adoption of a database made outside Prisma). */
export async function recordAdopted(client: pg.ClientBase, name: string, checksum: string): Promise<void> {
  await client.query(
    `INSERT INTO ${TABLE} (id, checksum, migration_name, started_at, finished_at, applied_steps_count, logs)
     VALUES ($1, $2, $3, now(), now(), 0, 'adopted by soleflip-migrator: structure matched the baseline')`,
    [randomUUID(), checksum, name],
  );
}
