import type pg from "pg";

/**
 * Which all-or-nothing raw steps of a migration have committed, so a run interrupted between two steps
 * resumes after the last committed one instead of repeating it. Other operations need no journal: they
 * decide from the live definitions what is left.
 */
const TABLE = `"public"."_soleflip_migrator_journal"`;

export async function ensureJournal(client: pg.ClientBase): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    migration_name VARCHAR(255) NOT NULL,
    checksum       VARCHAR(64) NOT NULL,
    step_id        TEXT NOT NULL,
    finished_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (migration_name, checksum, step_id)
  )`);
}

export async function journaledSteps(client: pg.ClientBase, migration: string, checksum: string): Promise<Set<string>> {
  const exists = await client.query<{ exists: boolean }>("SELECT to_regclass('public._soleflip_migrator_journal') IS NOT NULL AS exists");
  if (!exists.rows[0]?.exists) return new Set();
  const result = await client.query<{ step_id: string }>(`SELECT step_id FROM ${TABLE} WHERE migration_name = $1 AND checksum = $2`, [migration, checksum]);
  return new Set(result.rows.map((row) => row.step_id));
}

/** The INSERT to run inside the step's own transaction, so the step and its record commit together. */
export function journalInsert(migration: string, checksum: string, stepId: string): { text: string; values: string[] } {
  return {
    text: `INSERT INTO ${TABLE} (migration_name, checksum, step_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    values: [migration, checksum, stepId],
  };
}
