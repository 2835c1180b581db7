import type pg from "pg";
import { ToolkitError } from "@soleflip/core";

/**
 * The advisory lock key Prisma Migrate takes (72707369), so this runner and `prisma migrate deploy`
 * also exclude each other. Session-level, on a connection that is never inside a transaction while
 * others build indexes concurrently.
 */
export const MIGRATION_LOCK_KEY = 72_707_369;

export async function acquireMigrationLock(client: pg.ClientBase, waitMs: number, onWaiting?: (holder: string) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  let reported = false;
  for (;;) {
    const result = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATION_LOCK_KEY]);
    if (result.rows[0]?.locked) {
      return async () => {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
      };
    }
    const holder = await describeHolder(client);
    if (!reported) {
      onWaiting?.(holder);
      reported = true;
    }
    if (Date.now() >= deadline) {
      throw new ToolkitError({
        code: "migrator.lock.timeout",
        summary: `Another migration run holds the migration lock (${holder}); gave up after ${Math.round(waitMs / 1000)} s.`,
        fix: "Wait for the other run to finish, or raise --lock-wait. Nothing was changed.",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function describeHolder(client: pg.ClientBase): Promise<string> {
  const result = await client.query<{ pid: number; application_name: string; backend_start: Date }>(
    `SELECT a.pid, a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 LIMIT 1`,
    [MIGRATION_LOCK_KEY],
  );
  const row = result.rows[0];
  return row ? `pid ${row.pid}${row.application_name ? `, ${row.application_name}` : ""}, connected since ${row.backend_start.toISOString()}` : "holder unknown";
}
