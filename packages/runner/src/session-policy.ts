import type { ServerGuard } from "@soleflip/catalog";
import { formatDuration } from "@soleflip/core";
import type { PlannedOperation, Step } from "@soleflip/planner";
import { readDirectives } from "@soleflip/sql";
import type { ExecutionOptions } from "./executor.ts";

/**
 * The runner's policy for the server's own session guards, in one place. The runner sets what it must
 * to stay online-safe and keeps every guard an operator set, saying so in the plan and the apply log:
 *
 * - lock_timeout: set per attempt (short for steps that block writes, so writers queue behind it for at
 *   most that long), never longer than the role's or database's own lock_timeout.
 * - statement_timeout, idle_in_transaction_session_timeout, transaction_timeout: kept. A long step (an
 *   index build, a validation, a batched repair) that a statement_timeout could cancel is refused before
 *   anything runs, unless the operator raises it for those steps (--statement-timeout, or
 *   `-- migrator:statement-timeout <duration>` above the statement).
 * - application_name: set to soleflip-migrator, so the run can be told apart in pg_stat_activity.
 */
export interface GuardPolicyEntry {
  setting: string;
  /** What the server gives a new session of this role: "250 ms (role app)", "off (PostgreSQL's default)". */
  server: string;
  /** What the runner does with it. */
  runner: string;
  why: string;
}

export interface SessionPolicy {
  entries: GuardPolicyEntry[];
  /** The server's lock_timeout when it is a limit: no attempt waits longer. */
  lockTimeoutCeilingMs: number | undefined;
  /** The server's statement_timeout (0: none). */
  serverStatementTimeout: ServerGuard | undefined;
}

export const RUNNER_APPLICATION_NAME = "soleflip-migrator";

function serverValue(guard: ServerGuard | undefined): string {
  if (!guard) return "not in this PostgreSQL";
  return `${guard.valueMs === 0 ? "off" : formatDuration(guard.valueMs)} (${guard.source})`;
}

export function sessionPolicy(guards: readonly ServerGuard[], execution: ExecutionOptions, longStepTimeoutMs: number | undefined, maintenanceWorkMem = "256MB"): SessionPolicy {
  const find = (name: ServerGuard["name"]) => guards.find((guard) => guard.name === name);
  const lock = find("lock_timeout");
  const statement = find("statement_timeout");
  const ceiling = lock && lock.valueMs > 0 ? lock.valueMs : undefined;
  const capped = (ms: number) => formatDuration(ceiling === undefined ? ms : Math.min(ms, ceiling));
  const entries: GuardPolicyEntry[] = [
    {
      setting: "lock_timeout",
      server: serverValue(lock),
      runner: `set per attempt: ${capped(execution.firstLockTimeoutMs)} doubling to ${capped(execution.lockTimeoutMs)} for a step that blocks writes (--lock-timeout), ${capped(execution.nonBlockingLockTimeoutMs)} for one that does not; up to ${execution.maxRetries} retries`,
      why: ceiling === undefined ? "a short wait bounds how long writers queue behind a waiting step" : "a short wait bounds how long writers queue behind a waiting step; the server's own lock_timeout is shorter where it is, and kept",
    },
    {
      setting: "statement_timeout",
      server: serverValue(statement),
      runner: longStepTimeoutMs !== undefined ? `${formatDuration(longStepTimeoutMs)} for long steps (--statement-timeout); kept for every other statement` : "kept",
      why: "the operator's guard: a long step it could cancel is refused before anything runs, unless raised for those steps",
    },
    { setting: "idle_in_transaction_session_timeout", server: serverValue(find("idle_in_transaction_session_timeout")), runner: "kept", why: "the runner sends a transaction's statements back to back" },
    ...(find("transaction_timeout") ? [{ setting: "transaction_timeout", server: serverValue(find("transaction_timeout")), runner: "kept", why: "the operator's guard; each step is its own short transaction" }] : []),
    { setting: "application_name", server: "-", runner: RUNNER_APPLICATION_NAME, why: "so the run can be told apart in pg_stat_activity" },
    { setting: "max_parallel_workers_per_gather, max_parallel_maintenance_workers", server: "-", runner: "0", why: "the runner's scans, validations and index builds never take the application's cores for parallel workers" },
    { setting: "maintenance_work_mem", server: "-", runner: `${maintenanceWorkMem} (--maintenance-work-mem)`, why: "an index build sorts in memory where it fits, instead of in temporary files on the application's disk" },
  ];
  return { entries, lockTimeoutCeilingMs: ceiling, serverStatementTimeout: statement };
}

/** Steps that scan or build over a whole table and can run for minutes on a large one. */
export function isLongStep(step: Step): boolean {
  return step.progress !== undefined || step.batched !== undefined;
}

/** The statement_timeout a step of this operation runs with: a directive above its statement, else the flag; undefined keeps the server's. */
export function statementTimeoutFor(operation: PlannedOperation["operation"], step: Step, flagMs: number | undefined): number | undefined {
  if (!isLongStep(step)) return undefined;
  const directive = operation.statements.map((statement) => readDirectives(statement.comments).statementTimeoutMs).find((ms) => ms !== undefined);
  return directive ?? flagMs;
}

/** Long steps the server's statement_timeout could cancel, with nothing raising it for them. */
export function stepsUnderStatementTimeout(policy: SessionPolicy, plans: ReadonlyArray<{ migration: string; planned: readonly PlannedOperation[] }>, flagMs: number | undefined): Array<{ migration: string; step: string }> {
  if (!policy.serverStatementTimeout || policy.serverStatementTimeout.valueMs === 0) return [];
  return plans.flatMap((plan) =>
    plan.planned.flatMap((planned) =>
      planned.steps.filter((step) => isLongStep(step) && statementTimeoutFor(planned.operation, step, flagMs) === undefined).map((step) => ({ migration: plan.migration, step: step.description })),
    ),
  );
}
