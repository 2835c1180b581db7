import type pg from "pg";

/**
 * Which all-or-nothing raw steps of a migration have committed, so that a run interrupted between two
 * steps resumes after the last committed one instead of repeating it. The record lives in Prisma's own
 * _prisma_migrations row of the attempt (its `logs`), written in the step's own transaction: the
 * toolkit adds no table to the project's database (one in public would show as drift to Prisma).
 * A `_soleflip_migrator_journal` table left by earlier versions is still read.
 */
const PREFIX = "soleflip-migrator: committed ";
const PROGRESS = "soleflip-migrator: progress ";

export interface Journal {
  /** Steps that committed as a whole. */
  committed: Set<string>;
  /** Batched steps: the last key a committed batch finished. */
  progress: Map<string, string>;
}
const LEGACY = `"public"."_soleflip_migrator_journal"`;

/**
 * The steps an interrupted attempt committed (read from its logs), plus those a legacy journal table
 * records for the same migration and checksum. Only the one current unfinished attempt counts: older
 * attempts were resumed or rolled back since.
 */
export async function journaledSteps(client: pg.ClientBase, attempt: { logs: string | null; migrationName: string; checksum: string } | undefined): Promise<Journal> {
  const journal: Journal = { committed: new Set(), progress: new Map() };
  const steps = journal.committed;
  if (!attempt) return journal;
  for (const line of (attempt.logs ?? "").split("\n")) {
    if (line.startsWith(PREFIX)) steps.add(line.slice(PREFIX.length));
    if (line.startsWith(PROGRESS)) {
      const rest = line.slice(PROGRESS.length);
      const space = rest.indexOf(" ");
      if (space > 0) journal.progress.set(rest.slice(0, space), rest.slice(space + 1));
    }
  }
  const legacy = await client.query<{ exists: boolean }>("SELECT to_regclass('public._soleflip_migrator_journal') IS NOT NULL AS exists");
  if (legacy.rows[0]?.exists) {
    const old = await client.query<{ step_id: string }>(`SELECT step_id FROM ${LEGACY} WHERE migration_name = $1 AND checksum = $2`, [attempt.migrationName, attempt.checksum]);
    for (const row of old.rows) steps.add(row.step_id);
  }
  return journal;
}

/** The UPDATE to run inside the step's own transaction, so the step and its record commit together. */
export function journalInsert(attemptId: string, stepId: string): { text: string; values: string[] } {
  return {
    text: `UPDATE "public"."_prisma_migrations" SET logs = coalesce(logs, '') || $2 WHERE id = $1`,
    values: [attemptId, `${PREFIX}${stepId}\n`],
  };
}

/**
 * The UPDATE recording a batch's last key, run in the batch's own transaction. It replaces the step's
 * previous progress line (the key the batch started after) instead of adding one per batch: the record
 * stays one line per step however many batches run, and `logs` (which Prisma shows) does not grow.
 */
export function journalProgress(attemptId: string, stepId: string, lastKey: string, previousKey?: string | null): { text: string; values: string[] } {
  return {
    text: `UPDATE "public"."_prisma_migrations" SET logs = replace(coalesce(logs, ''), $3, '') || $2 WHERE id = $1`,
    values: [attemptId, `${PROGRESS}${stepId} ${lastKey}\n`, previousKey == null ? "" : `${PROGRESS}${stepId} ${previousKey}\n`],
  };
}

/** Carries an interrupted attempt's record over to the attempt that resumes it. */
export async function carryOverJournal(client: pg.ClientBase, attemptId: string, journal: Journal): Promise<void> {
  const lines = [...[...journal.committed].map((step) => `${PREFIX}${step}\n`), ...[...journal.progress].map(([step, key]) => `${PROGRESS}${step} ${key}\n`)];
  if (lines.length === 0) return;
  await client.query(`UPDATE "public"."_prisma_migrations" SET logs = coalesce(logs, '') || $2 WHERE id = $1`, [attemptId, lines.join("")]);
}

/** Forgets the record of a migration (after it is rolled back). */
export async function clearLegacyJournal(client: pg.ClientBase, migration: string): Promise<void> {
  const legacy = await client.query<{ exists: boolean }>("SELECT to_regclass('public._soleflip_migrator_journal') IS NOT NULL AS exists");
  if (legacy.rows[0]?.exists) await client.query(`DELETE FROM ${LEGACY} WHERE migration_name = $1`, [migration]);
}
