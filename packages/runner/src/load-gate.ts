import type pg from "pg";

/**
 * gh-ost's `max-load` for PostgreSQL: before each long step and each backfill batch the runner reads what
 * the application feels, and waits while the server is busy:
 * - sessions of other clients waiting for a lock (the application queuing, whoever it queues behind);
 * - sessions of other clients running a statement (the server's own "threads running");
 * - the runner's own batches taking far longer per row than its first ones did (the disk or the CPU is
 *   shared with a burst of the application's work): its write latency against its own baseline, with no
 *   probe row written into the application's tables.
 * A statement already running cannot be paused (PostgreSQL has no such thing); the gate keeps the next one
 * from adding to the load. Waits are bounded: after `maxWaitMs` the run goes on, and says so.
 */
export interface LoadLimits {
  /** Pause while more than this many other sessions wait for a lock. */
  maxLockWaiters: number;
  /** Pause while more than this many other sessions run a statement. */
  maxActiveSessions: number;
  /** Pause while a batch takes more than this many times the per-row time of the first batches. */
  maxSlowdown: number;
  /** The longest single pause; then the run goes on (the load is the application's steady state). */
  maxWaitMs: number;
  pollMs?: number;
  reportEveryMs?: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = { maxLockWaiters: 2, maxActiveSessions: 16, maxSlowdown: 4, maxWaitMs: 60_000 };

export type LoadEvent = { type: "load"; state: "waiting" | "resumed" | "gave-up"; reason: string; waitedMs: number };

export interface LoadReading {
  lockWaiters: number;
  activeSessions: number;
}

/** What the other sessions of this database do now (the runner's own, and the rehearsal's watchers, left out by application_name). */
export async function readLoad(client: Pick<pg.ClientBase, "query">): Promise<LoadReading> {
  const result = await client.query<{ waiting: string; active: string }>(
    `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting,
            count(*) FILTER (WHERE state = 'active') AS active
       FROM pg_stat_activity
      WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()
        AND NOT starts_with(coalesce(application_name, ''), 'soleflip-migrator')
        AND coalesce(application_name, '') NOT IN ('soleflip-rehearsal-observer', 'soleflip-rehearsal-sampler')`,
  );
  return { lockWaiters: Number(result.rows[0]?.waiting ?? 0), activeSessions: Number(result.rows[0]?.active ?? 0) };
}

export interface LoadGate {
  /** Waits while the server is busier than the limits allow. */
  wait(): Promise<void>;
  /** Told each batch's time and size: the runner's own latency, against the same step's first batches (`step` names it; a table's rows against its own). */
  observeBatch(batch: { elapsedMs: number; batchSize: number; step?: string }): void;
  /** The pauses so far, for the apply log. */
  pauses(): Array<{ reason: string; waitedMs: number }>;
}

const BASELINE_BATCHES = 3;
const COOL_DOWN_MS = 1_000;

export function loadGate(client: Pick<pg.ClientBase, "query">, limits: LoadLimits, emit: (event: LoadEvent) => void): LoadGate {
  const pollMs = limits.pollMs ?? 200;
  const reportEveryMs = limits.reportEveryMs ?? 5_000;
  let perRow: number[] = [];
  let currentStep: string | undefined;
  let last: number | undefined;
  const logged: Array<{ reason: string; waitedMs: number }> = [];
  const baseline = () => {
    const first = perRow.slice(0, BASELINE_BATCHES).sort((a, b) => a - b);
    return first.length === BASELINE_BATCHES ? (first[1] ?? 0) : undefined;
  };
  const overLimit = async (): Promise<string | undefined> => {
    const load = await readLoad(client);
    if (load.lockWaiters > limits.maxLockWaiters) return `${load.lockWaiters} session(s) of the application wait for a lock (limit ${limits.maxLockWaiters})`;
    if (load.activeSessions > limits.maxActiveSessions) return `${load.activeSessions} session(s) of the application are running statements (limit ${limits.maxActiveSessions})`;
    return undefined;
  };
  /** The runner's own last batch against its first ones: slower than the limit, it cools down once. */
  const slowdown = (): string | undefined => {
    const base = baseline();
    if (base === undefined || last === undefined || base <= 0 || last <= base * limits.maxSlowdown) return undefined;
    const factor = last / base;
    last = undefined;
    return `the last batch took ${factor.toFixed(1)}× the time per row of the first ones (limit ${limits.maxSlowdown}×): the server is busy`;
  };
  return {
    observeBatch({ elapsedMs, batchSize, step }) {
      if (batchSize <= 0) return;
      // Another step's rows cost what they cost (wider rows, more indexes): a baseline of its own, not a slowdown.
      if (step !== currentStep) {
        perRow = [];
        last = undefined;
        currentStep = step;
      }
      const value = elapsedMs / batchSize;
      perRow.push(value);
      last = value;
    },
    pauses: () => [...logged],
    async wait() {
      const slower = slowdown();
      if (slower) {
        // A cool-down as long as a few batches: what slowed the batch (a burst of the application's) passes.
        emit({ type: "load", state: "waiting", reason: slower, waitedMs: 0 });
        await new Promise((resolve) => setTimeout(resolve, COOL_DOWN_MS));
        logged.push({ reason: slower, waitedMs: COOL_DOWN_MS });
        emit({ type: "load", state: "resumed", reason: slower, waitedMs: COOL_DOWN_MS });
      }
      const started = Date.now();
      let lastReport = 0;
      let reason = await overLimit();
      if (!reason) return;
      let since = reason;
      while (reason) {
        const waitedMs = Date.now() - started;
        if (waitedMs >= limits.maxWaitMs) {
          emit({ type: "load", state: "gave-up", reason, waitedMs });
          logged.push({ reason: `${reason}; went on after ${Math.round(waitedMs / 1000)} s`, waitedMs });
          return;
        }
        if (Date.now() - lastReport >= reportEveryMs) {
          lastReport = Date.now();
          emit({ type: "load", state: "waiting", reason, waitedMs });
        }
        since = reason;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        reason = await overLimit();
      }
      const waitedMs = Date.now() - started;
      logged.push({ reason: since, waitedMs });
      emit({ type: "load", state: "resumed", reason: since, waitedMs });
    },
  };
}
