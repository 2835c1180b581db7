import type pg from "pg";

/** What the primary knows of one streaming standby. */
export interface StandbyLag {
  name: string;
  /** pg_stat_replication.replay_lag; null when the standby is idle and caught up, or the role may not see it. */
  lagMs: number | null;
  /** WAL the standby has not replayed yet; null when the role may not see it. */
  bytesBehind: number | null;
}

export type ReplicaLagEvent =
  | { type: "replica-lag"; state: "waiting"; standby: string; lagMs: number; maxLagMs: number; waitedMs: number }
  | { type: "replica-lag"; state: "resumed"; standby: string; lagMs: number; maxLagMs: number; waitedMs: number }
  | { type: "replica-lag"; state: "unreadable"; standby: string; lagMs: 0; maxLagMs: number; waitedMs: 0 };

export interface ReplicaLagOptions {
  /** Pause while any standby replays more than this far behind (gh-ost's default: 1.5 s). */
  maxLagMs: number;
  pollMs?: number;
  /** How often a continuing pause is reported. */
  reportEveryMs?: number;
}

export const DEFAULT_MAX_REPLICA_LAG_MS = 1_500;

export async function readStandbyLags(client: Pick<pg.ClientBase, "query">): Promise<StandbyLag[]> {
  const result = await client.query<{ name: string; lag_ms: string | null; bytes_behind: string | null }>(
    `SELECT coalesce(nullif(application_name, ''), 'pid ' || pid) AS name,
            (EXTRACT(epoch FROM replay_lag) * 1000)::float8 AS lag_ms,
            pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS bytes_behind
       FROM pg_stat_replication
      WHERE state = 'streaming'`,
  );
  return result.rows.map((row) => {
    const bytesBehind = row.bytes_behind === null ? null : Number(row.bytes_behind);
    // replay_lag keeps its last value while no WAL flows; a standby that has replayed everything is not behind
    const lagMs = bytesBehind !== null && bytesBehind <= 0 ? 0 : row.lag_ms === null ? null : Number(row.lag_ms);
    return { name: row.name, lagMs, bytesBehind };
  });
}

/**
 * A gate the runner passes before each long step (index builds, validations) and each backfill batch:
 * it returns at once while every streaming standby replays within `maxLagMs`, and otherwise waits,
 * polling, until they do. A statement already running cannot be paused (PostgreSQL has no such thing);
 * the gate keeps the next one from piling more WAL on a standby that is behind. A role that may not
 * read the lag (pg_monitor is needed) is reported once, and not waited for.
 */
export function replicaLagGate(client: Pick<pg.ClientBase, "query">, options: ReplicaLagOptions, emit: (event: ReplicaLagEvent) => void): () => Promise<void> {
  const pollMs = options.pollMs ?? 250;
  const reportEveryMs = options.reportEveryMs ?? 5_000;
  const unreadableReported = new Set<string>();
  return async () => {
    const started = Date.now();
    let lastReport = 0;
    let waitedFor: string | undefined;
    for (;;) {
      const standbys = await readStandbyLags(client);
      for (const standby of standbys) {
        if (standby.bytesBehind === null && !unreadableReported.has(standby.name)) {
          unreadableReported.add(standby.name);
          emit({ type: "replica-lag", state: "unreadable", standby: standby.name, lagMs: 0, maxLagMs: options.maxLagMs, waitedMs: 0 });
        }
      }
      const worst = standbys.reduce<StandbyLag | undefined>((max, standby) => ((standby.lagMs ?? 0) > (max?.lagMs ?? 0) ? standby : max), undefined);
      const lagMs = worst?.lagMs ?? 0;
      if (lagMs <= options.maxLagMs) {
        if (waitedFor !== undefined) emit({ type: "replica-lag", state: "resumed", standby: waitedFor, lagMs, maxLagMs: options.maxLagMs, waitedMs: Date.now() - started });
        return;
      }
      waitedFor = worst?.name ?? "";
      if (Date.now() - lastReport >= reportEveryMs) {
        lastReport = Date.now();
        emit({ type: "replica-lag", state: "waiting", standby: worst?.name ?? "", lagMs, maxLagMs: options.maxLagMs, waitedMs: Date.now() - started });
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
}
