import type pg from "pg";
import type { Step } from "../plan/plan-operation.ts";

export interface ExecutionOptions {
  /** lock_timeout for statements whose lock blocks writes (SHARE and stronger). */
  lockTimeoutMs: number;
  /** lock_timeout for statements whose lock does not block writes (SHARE UPDATE EXCLUSIVE). */
  nonBlockingLockTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_EXECUTION: ExecutionOptions = {
  lockTimeoutMs: 100,
  nonBlockingLockTimeoutMs: 60_000,
  maxRetries: 12,
  retryBaseMs: 50,
  retryMaxMs: 2_000,
};

export interface StepOutcome {
  durationMs: number;
  /** Time spent in attempts that gave up waiting for a lock. */
  lockWaitMs: number;
  retries: number;
  rowsAffected: number | undefined;
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

const RETRYABLE = new Set(["55P03", "40P01"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lockTimeoutFor(step: Step, options: ExecutionOptions): number {
  return step.lock === "SHARE UPDATE EXCLUSIVE" || step.lock === "ROW EXCLUSIVE" || step.lock === "NONE"
    ? options.nonBlockingLockTimeoutMs
    : options.lockTimeoutMs;
}

/**
 * Runs one step with a short lock_timeout, retrying with exponential backoff and jitter when it gives up
 * waiting for a lock (so writers queued behind it wait at most lock_timeout), and all-or-nothing when it
 * is transactional. `inTransaction` adds statements to the step's own transaction (the journal record).
 */
export async function executeStep(
  client: pg.ClientBase,
  step: Step,
  options: ExecutionOptions,
  extra: { inTransaction?: Array<{ text: string; values: string[] }>; beforeRetry?: () => Promise<void> } = {},
): Promise<StepOutcome> {
  const started = performance.now();
  let lockWaitMs = 0;
  const lockTimeout = lockTimeoutFor(step, options);
  for (let attempt = 0; ; attempt++) {
    const attemptStarted = performance.now();
    let current = step.sql[0] ?? "";
    try {
      let rowsAffected: number | undefined;
      if (step.transactional) {
        await client.query("BEGIN");
        await client.query(`SET LOCAL lock_timeout = ${lockTimeout}`);
        await client.query("SET LOCAL statement_timeout = 0");
        for (const sql of step.sql) {
          current = sql;
          const result = await client.query(sql);
          if (step.reportsRows) rowsAffected = (rowsAffected ?? 0) + (result.rowCount ?? 0);
        }
        for (const statement of extra.inTransaction ?? []) await client.query(statement.text, statement.values);
        await client.query("COMMIT");
      } else {
        await client.query(`SET lock_timeout = ${lockTimeout}`);
        await client.query("SET statement_timeout = 0");
        try {
          for (const sql of step.sql) {
            current = sql;
            await client.query(sql);
          }
        } finally {
          await client.query("RESET lock_timeout").catch(() => undefined);
        }
      }
      return { durationMs: performance.now() - started, lockWaitMs, retries: attempt, rowsAffected };
    } catch (error) {
      if (step.transactional) await client.query("ROLLBACK").catch(() => undefined);
      const sqlState = (error as { code?: string }).code;
      const outcome = { durationMs: performance.now() - started, lockWaitMs, retries: attempt, rowsAffected: undefined };
      if (sqlState && RETRYABLE.has(sqlState) && attempt < options.maxRetries) {
        lockWaitMs += performance.now() - attemptStarted;
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
