import { countSessionsWaitingOnMe } from "@soleflip/catalog";
import { isShuttingDown } from "@soleflip/core";
import type { Step } from "@soleflip/planner";
import type pg from "pg";

export interface ExecutionOptions {
  /** lock_timeout for statements whose lock blocks writes (SHARE and stronger): the ceiling of the backoff. */
  lockTimeoutMs: number;
  /**
   * The first attempt's lock_timeout for such statements, doubled on each retry up to lockTimeoutMs. Writers
   * queue behind a waiting lock request, so a short first wait bounds the stall when the lock is free soon
   * (the usual case: in-flight writes finish in milliseconds), and the longer ones win against busy tables.
   */
  firstLockTimeoutMs: number;
  /** lock_timeout for statements whose lock does not block writes (SHARE UPDATE EXCLUSIVE). */
  nonBlockingLockTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * How long one batch of a backfill should take; the batch size adapts to it. A batch holds its rows' locks
   * until it commits, so this is also about the longest an application write to one of those rows waits.
   */
  batchTargetMs: number;
  /**
   * The target once an application session was seen waiting on a batch's row locks (the table is written
   * while it is backfilled): halved from batchTargetMs on each such batch, down to this.
   */
  contendedBatchTargetMs: number;
  /**
   * After each batch, rest for this many times its duration (gh-ost's nice-ratio): 1 leaves the server idle
   * half the time the backfill runs, so the application's queued work drains between batches. 0: no rest.
   */
  niceRatio: number;
  initialBatchSize: number;
  /** The server's own lock_timeout (a role's or database's guard): no attempt waits longer. */
  lockTimeoutCeilingMs?: number | undefined;
}

export const DEFAULT_EXECUTION: ExecutionOptions = {
  lockTimeoutMs: 100,
  firstLockTimeoutMs: 20,
  nonBlockingLockTimeoutMs: 60_000,
  maxRetries: 12,
  retryBaseMs: 50,
  retryMaxMs: 2_000,
  batchTargetMs: 50,
  contendedBatchTargetMs: 10,
  niceRatio: 0,
  initialBatchSize: 1_000,
};

export interface StepOutcome {
  durationMs: number;
  /** Time spent in attempts that gave up waiting for a lock. */
  lockWaitMs: number;
  retries: number;
  rowsAffected: number | undefined;
  batches?: number;
  /** The longest batch, from its first statement to its commit: about the longest its row locks were held. */
  longestBatchMs?: number;
  /** Batches an application session was waiting on (for one of their row locks) when they were about to commit. */
  waitedOnBatches?: number;
  /** The batch time target the step ended with (lower than the option when the application waited on a batch). */
  finalBatchTargetMs?: number;
}

/** A statement failed: carries the SQLSTATE and the statement, and what was tried. */
export class StepFailedError extends Error {
  constructor(
    message: string,
    readonly sqlState: string | undefined,
    readonly statement: string,
    readonly outcome: StepOutcome,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StepFailedError";
  }
}

/** Called around every statement the runner sends (the observed rehearsal attributes what it sees). */
export interface StatementHooks {
  before?(sql: string): Promise<void> | void;
  after?(sql: string, result: { ok: boolean; rows: number | undefined }): Promise<void> | void;
}

export interface StepExtras {
  /** statement_timeout for this step (a long step the operator raised it for); otherwise the server's stays. */
  statementTimeoutMs?: number | undefined;
  /** Told each time an attempt gave up waiting for its lock, before the backoff. */
  onLockTimeout?: (attempt: { attempt: number; maxAttempts: number; lockTimeoutMs: number; waitedMs: number }) => Promise<void> | void;
  /** Statements added to the step's own transaction (the journal record). */
  inTransaction?: Array<{ text: string; values: string[] }>;
  beforeRetry?: () => Promise<void>;
  hooks?: StatementHooks;
  /** Batched repairs: where to start (the last key a previous attempt finished), progress, throttling. */
  batches?: {
    resumeAfter?: string | undefined;
    onBatch?: (progress: BatchProgress) => Promise<void> | void;
    beforeBatch?: () => Promise<void>;
    /** Journal statement for a finished batch (runs in the batch's transaction). */
    journal?: (lastKey: string, previousKey: string | null) => { text: string; values: string[] };
  };
}

const RETRYABLE = new Set(["55P03", "40P01"]);

/**
 * Ctrl-C cancels the statement in flight; one that has not started yet (the next batch, a retry, the next
 * step) is not started: the run stops between two statements as it would inside one.
 */
function stopIfInterrupted(statement: string, outcome: StepOutcome): void {
  if (isShuttingDown()) throw new StepFailedError("canceling statement due to user request (the run was interrupted before it started)", "57014", statement, outcome);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long each attempt may wait for its lock: a fixed wait, or (for locks that block writes) a backoff from short to the ceiling. */
type LockWait = { fixedMs: number } | { backoffToMs: number };

function lockWaitFor(step: Step, options: ExecutionOptions): LockWait {
  return step.lock === "SHARE UPDATE EXCLUSIVE" || step.lock === "ROW EXCLUSIVE" || step.lock === "NONE" || step.lock === "ACCESS SHARE" || step.lock === "ROW SHARE"
    ? { fixedMs: options.nonBlockingLockTimeoutMs }
    : { backoffToMs: options.lockTimeoutMs };
}

interface Statement {
  text: string;
  values?: unknown[];
}

async function run(client: pg.ClientBase, statement: Statement, hooks: StatementHooks | undefined): Promise<pg.QueryResult> {
  await hooks?.before?.(statement.text);
  try {
    const result = statement.values ? await client.query(statement.text, statement.values) : await client.query(statement.text);
    await hooks?.after?.(statement.text, { ok: true, rows: result.rowCount ?? undefined });
    return result;
  } catch (error) {
    await hooks?.after?.(statement.text, { ok: false, rows: undefined });
    throw error;
  }
}

/**
 * Runs one step with a short lock_timeout, retrying with exponential backoff and jitter when it gives up
 * waiting for a lock (so writers queued behind it wait at most lock_timeout), and all-or-nothing when it
 * is transactional. A batched repair runs batch by batch instead (see executeBatches).
 */
export async function executeStep(client: pg.ClientBase, step: Step, options: ExecutionOptions, extra: StepExtras = {}): Promise<StepOutcome> {
  stopIfInterrupted(step.sql[0] ?? "", { durationMs: 0, lockWaitMs: 0, retries: 0, rowsAffected: undefined });
  if (step.batched) {
    // A batched repair's count and batches run with the step's statement_timeout, if it has one.
    if (extra.statementTimeoutMs === undefined) return executeBatches(client, step, options, extra);
    await client.query(`SET statement_timeout = ${extra.statementTimeoutMs}`);
    try {
      return await executeBatches(client, step, options, { ...extra, statementTimeoutMs: undefined });
    } finally {
      await client.query("RESET statement_timeout").catch(() => undefined);
    }
  }
  return runWithRetries(client, step.sql.map((text) => ({ text })), step.transactional, lockWaitFor(step, options), options, {
    ...extra,
    countRows: step.reportsRows === true,
  });
}

async function runWithRetries(
  client: pg.ClientBase,
  statements: Statement[],
  transactional: boolean,
  lockWait: LockWait,
  options: ExecutionOptions,
  extra: StepExtras & { countRows: boolean; probeWaiters?: boolean },
): Promise<StepOutcome & { waiters?: number }> {
  const started = performance.now();
  let lockWaitMs = 0;
  for (let attempt = 0; ; attempt++) {
    stopIfInterrupted(statements[0]?.text ?? "", { durationMs: performance.now() - started, lockWaitMs, retries: attempt, rowsAffected: undefined });
    const attemptStarted = performance.now();
    let current = statements[0]?.text ?? "";
    // Statements that block writes start short and back off; others wait as long as they were told.
    const planned = "fixedMs" in lockWait ? lockWait.fixedMs : Math.min(lockWait.backoffToMs, Math.max(1, Math.min(options.firstLockTimeoutMs, lockWait.backoffToMs)) * 2 ** attempt);
    // The server's own lock_timeout, when shorter, is the operator's guard: kept (session-policy.ts).
    const lockTimeout = options.lockTimeoutCeilingMs ? Math.min(planned, options.lockTimeoutCeilingMs) : planned;
    const statementTimeout = extra.statementTimeoutMs;
    try {
      let rowsAffected: number | undefined;
      if (transactional) {
        await client.query("BEGIN");
        await client.query(`SET LOCAL lock_timeout = ${lockTimeout}`);
        if (statementTimeout !== undefined) await client.query(`SET LOCAL statement_timeout = ${statementTimeout}`);
        for (const statement of statements) {
          current = statement.text;
          const result = await run(client, statement, extra.hooks);
          if (extra.countRows) rowsAffected = (rowsAffected ?? 0) + (result.rowCount ?? 0);
        }
        for (const statement of extra.inTransaction ?? []) await client.query(statement.text, statement.values);
        // Just before the commit, whoever waits on this transaction's locks is still waiting (a row lock is
        // held to the end): the application writes the rows this batch holds.
        const waiters = extra.probeWaiters ? await countSessionsWaitingOnMe(client) : undefined;
        await client.query("COMMIT");
        return { durationMs: performance.now() - started, lockWaitMs, retries: attempt, rowsAffected, ...(waiters !== undefined ? { waiters } : {}) };
      } else {
        await client.query(`SET lock_timeout = ${lockTimeout}`);
        if (statementTimeout !== undefined) await client.query(`SET statement_timeout = ${statementTimeout}`);
        try {
          for (const statement of statements) {
            current = statement.text;
            await run(client, statement, extra.hooks);
          }
        } finally {
          await client.query("RESET lock_timeout").catch(() => undefined);
          if (statementTimeout !== undefined) await client.query("RESET statement_timeout").catch(() => undefined);
        }
      }
      return { durationMs: performance.now() - started, lockWaitMs, retries: attempt, rowsAffected };
    } catch (error) {
      if (transactional) await client.query("ROLLBACK").catch(() => undefined);
      const sqlState = (error as { code?: string }).code;
      const outcome = { durationMs: performance.now() - started, lockWaitMs, retries: attempt, rowsAffected: undefined };
      if (sqlState && RETRYABLE.has(sqlState) && attempt < options.maxRetries) {
        lockWaitMs += performance.now() - attemptStarted;
        await extra.onLockTimeout?.({ attempt: attempt + 1, maxAttempts: options.maxRetries + 1, lockTimeoutMs: lockTimeout, waitedMs: lockWaitMs });
        await extra.beforeRetry?.();
        const backoff = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** attempt);
        await sleep(backoff / 2 + Math.random() * (backoff / 2));
        continue;
      }
      if (sqlState && RETRYABLE.has(sqlState)) outcome.lockWaitMs = lockWaitMs + (performance.now() - attemptStarted);
      throw new StepFailedError(
        `${(error as Error).message}${sqlState && RETRYABLE.has(sqlState) ? ` (gave up after ${attempt + 1} attempts with lock_timeout ${lockTimeout} ms)` : ""}`,
        sqlState,
        current,
        outcome,
        { cause: error },
      );
    }
  }
}

export interface BatchProgress {
  lastKey: string;
  /** Rows changed so far. */
  rows: number;
  batchSize: number;
  /** This batch's time. */
  elapsedMs: number;
  /** Keys visited so far, of `total` left when the step started. */
  visited: number;
  total: number;
  /** At the pace so far. */
  etaMs: number;
  /** Set when application sessions waited on this batch's row locks: how many, and the target from now on. */
  waitedOn?: { sessions: number; nextTargetMs: number };
}

/**
 * The next batch's size: scaled by how far the last one was from the target, at most ×2 up (a batch that
 * reaches pages not yet in memory can take many times the last one's time per row, and its row locks are
 * held all that while) and ×0.25 down, between 100 and 100,000 rows.
 */
export function nextBatchSize(size: number, elapsedMs: number, targetMs: number): number {
  return Math.max(100, Math.min(100_000, Math.round(size * Math.min(2, Math.max(0.25, targetMs / Math.max(1, elapsedMs))))));
}

/**
 * A declared repair in keyset batches by primary key: each batch is its own short transaction (row
 * locks are held for one batch only), the batch size follows a time target, the last finished key is
 * journaled with the batch, and a resumed run starts after it.
 */
async function executeBatches(client: pg.ClientBase, step: Step, options: ExecutionOptions, extra: StepExtras): Promise<StepOutcome> {
  const batched = step.batched;
  if (!batched) throw new Error("not a batched step");
  const started = performance.now();
  let lastKey: string | null = extra.batches?.resumeAfter ?? null;
  let size = options.initialBatchSize;
  let rows = 0;
  let batches = 0;
  let lockWaitMs = 0;
  let retries = 0;
  let longestBatchMs = 0;
  let waitedOnBatches = 0;
  let targetMs = options.batchTargetMs;
  // One count up front (a scan of the keys) gives progress and an ETA on long repairs.
  const total = Number((await client.query<{ n: string }>(batched.countSql, [lastKey])).rows[0]?.n ?? 0);
  let visited = 0;
  for (;;) {
    await extra.batches?.beforeBatch?.();
    stopIfInterrupted(batched.sql, { durationMs: performance.now() - started, lockWaitMs, retries, rowsAffected: rows, batches });
    const bounds = await client.query<{ upper: string | null; n: string }>(batched.boundsSql, [lastKey, size]);
    const upper = bounds.rows[0]?.upper ?? null;
    if (upper === null || Number(bounds.rows[0]?.n ?? 0) === 0) break;
    const batchStarted = performance.now();
    let outcome: StepOutcome & { waiters?: number };
    try {
      outcome = await runWithRetries(client, [{ text: batched.sql, values: [lastKey, upper] }], true, { fixedMs: options.nonBlockingLockTimeoutMs }, options, {
        ...(extra.hooks ? { hooks: extra.hooks } : {}),
        inTransaction: extra.batches?.journal ? [extra.batches.journal(upper, lastKey)] : [],
        countRows: true,
        probeWaiters: true,
      });
    } catch (error) {
      if (!(error instanceof StepFailedError)) throw error;
      throw new StepFailedError(`${error.message} (in the batch after key ${lastKey ?? "(start)"})`, error.sqlState, error.statement, { ...error.outcome, durationMs: performance.now() - started, rowsAffected: rows, batches, longestBatchMs, waitedOnBatches }, { cause: error });
    }
    rows += outcome.rowsAffected ?? 0;
    lockWaitMs += outcome.lockWaitMs;
    retries += outcome.retries;
    batches++;
    lastKey = upper;
    visited += Number(bounds.rows[0]?.n ?? 0);
    const elapsed = performance.now() - batchStarted;
    longestBatchMs = Math.max(longestBatchMs, elapsed);
    const waitedOn = (outcome.waiters ?? 0) > 0;
    if (waitedOn) {
      // The application writes the rows being backfilled, and a write just waited for this batch's commit:
      // shorter batches from now on (the step takes longer; the application's writes wait less).
      waitedOnBatches++;
      targetMs = Math.max(Math.min(options.contendedBatchTargetMs, options.batchTargetMs), targetMs / 2);
    }
    const soFar = performance.now() - started;
    const etaMs = visited > 0 && total > visited ? (soFar / visited) * (total - visited) : 0;
    await extra.batches?.onBatch?.({ lastKey, rows, batchSize: size, elapsedMs: elapsed, visited, total: Math.max(total, visited), etaMs, ...(waitedOn ? { waitedOn: { sessions: outcome.waiters ?? 0, nextTargetMs: targetMs } } : {}) });
    size = nextBatchSize(size, elapsed, targetMs);
    if (options.niceRatio > 0) await sleep(elapsed * options.niceRatio);
  }
  return { durationMs: performance.now() - started, lockWaitMs, retries, rowsAffected: rows, batches, longestBatchMs, waitedOnBatches, finalBatchTargetMs: targetMs };
}
