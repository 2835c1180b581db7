import { describeBlocker } from "@soleflip/catalog";
import type { RunEvent } from "./run-migrations.ts";
import type { MigrationLog, OperationLog, RunLog, StepLog } from "./run-log.ts";

const OUTCOME_TEXT: Record<RunLog["outcome"], string> = {
  "up-to-date": "The database is up to date: nothing to apply.",
  applied: "All migrations applied.",
  "dry-run": "Dry run: nothing was changed.",
  "preflight-failed": "Pre-flight checks failed: nothing was changed.",
  "structure-differs": "The database's structure differs from the baseline: it was not adopted and nothing was changed.",
  failed: "A step failed: the run stopped. Fix the cause and run again; completed work is kept and resumed from.",
  interrupted: "Interrupted: the statement in flight was cancelled and the attempt recorded; run again to resume.",
  refused: "Refused: nothing was changed.",
};

/** How many structural differences the terminal shows; the apply log holds them all. */
const DIFFERENCES_SHOWN = 10;

function ms(value: number | undefined): string {
  if (value === undefined) return "";
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

/** A rough remaining time: "40 s", "3 min 20 s". */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${Math.max(1, seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** "412 batches, the longest 61.0 ms; application writes waited on 3 (batches then aimed at 12.5 ms)". */
function batchFacts(step: StepLog): string {
  const longest = step.longestBatchMs !== undefined ? `, the longest ${ms(step.longestBatchMs)}` : "";
  const waited = step.waitedOnBatches ? `; application writes waited on ${step.waitedOnBatches} (batches then aimed at ${ms(step.finalBatchTargetMs)})` : "";
  return `${step.batches} batch${step.batches === 1 ? "" : "es"}${longest}${waited}`;
}

function renderStep(step: StepLog, indent: string): string[] {
  const facts = [
    step.status,
    step.durationMs !== undefined ? ms(step.durationMs) : undefined,
    step.retries ? `${step.retries} retr${step.retries === 1 ? "y" : "ies"}` : undefined,
    step.lockWaitMs ? `lock waits ${ms(step.lockWaitMs)}` : undefined,
    step.rowsAffected !== undefined ? `${step.rowsAffected} row(s)` : undefined,
    step.batches ? batchFacts(step) : undefined,
  ].filter(Boolean);
  const lines = [`${indent}- ${step.description} [lock: ${step.lock}${step.hazards.length ? `; hazards: ${step.hazards.join(", ")}` : ""}] ${facts.join(", ")}`];
  if (step.status === "planned") for (const sql of step.sql) lines.push(`${indent}    ${sql.split("\n").join(`\n${indent}    `)};`);
  if (step.error) lines.push(`${indent}    error: ${step.error}`);
  if (step.lockWait) lines.push(`${indent}    waited for ${step.lockWait.wanted}, held by ${step.lockWait.blockers.map(describeBlocker).join("; ")}`);
  return lines;
}

function renderOperation(operation: OperationLog, indent: string, detailed: boolean): string[] {
  const total = operation.steps.reduce((sum, step) => sum + (step.durationMs ?? 0), 0);
  const rows = operation.steps.find((step) => step.rowsAffected !== undefined)?.rowsAffected;
  const summary = [
    operation.steps.length > 0 ? `${operation.steps.length} step(s)` : undefined,
    total > 0 ? ms(total) : undefined,
    rows !== undefined ? `${rows} row(s) changed` : undefined,
  ].filter(Boolean).join(", ");
  const found = operation.kind === "repair" ? "declared repair" : operation.found;
  const lines = [`${indent}${operation.outcome.padEnd(15)} ${operation.operationId}  (found: ${found}${summary ? `; ${summary}` : ""})`];
  const showSteps = detailed || operation.outcome === "failed" || operation.outcome === "planned";
  if (showSteps) lines.push(...operation.steps.flatMap((step) => renderStep(step, `${indent}    `)));
  return lines;
}

function renderMigration(migration: MigrationLog, detailed: boolean): string[] {
  const header = `${migration.name}: ${migration.status}${migration.durationMs !== undefined ? ` (${ms(migration.durationMs)})` : ""}`;
  return [header, ...migration.operations.flatMap((operation) => renderOperation(operation, "  ", detailed))];
}

/** The run log as text for a terminal or a CI log. */
export function renderRunText(log: RunLog, options: { applyLogPath?: string | undefined; verbose?: boolean } = {}): string {
  const applyLogPath = options.applyLogPath;
  const lines: string[] = [`Database: ${log.database}`];
  if (log.adoptedBaseline) lines.push(`Adopted: the structure matched the baseline ${log.adoptedBaseline}; recorded it as applied.`);
  for (const migration of log.migrations) lines.push(...renderMigration(migration, options.verbose === true));
  if (log.preflight.length > 0) {
    lines.push("", "Pre-flight checks (read-only, before any change):");
    for (const result of log.preflight) {
      lines.push(`  ${result.passed ? "pass" : "FAIL"} ${result.check.padEnd(10)} ${result.table} (${result.columns.join(", ")}): ${result.message}`);
      if (!result.passed && result.sampleKeys.length > 0) lines.push(`       sample keys: ${result.sampleKeys.join(" | ")}`);
    }
  }
  if (log.structuralDifferences.length > 0) {
    const differences = log.structuralDifferences;
    const missing = differences.filter((d) => d.actual === undefined).length;
    const extra = differences.filter((d) => d.expected === undefined).length;
    lines.push(
      "",
      `The structure differs from the baseline in ${differences.length} object(s) no migration manages (${missing} missing, ${extra} not in the baseline, ${differences.length - missing - extra} defined differently).`,
      `First ${Math.min(DIFFERENCES_SHOWN, differences.length)}:`,
    );
    for (const difference of differences.slice(0, DIFFERENCES_SHOWN)) {
      lines.push(`  ${difference.kind} ${difference.name}: ${difference.expected === undefined ? `not in the baseline (${difference.actual})` : difference.actual === undefined ? "missing" : `expected ${difference.expected}, found ${difference.actual}`}`);
    }
    if (differences.length > DIFFERENCES_SHOWN) lines.push(`  … and ${differences.length - DIFFERENCES_SHOWN} more${applyLogPath ? ` (all of them in ${applyLogPath})` : ""}.`);
    lines.push(
      "",
      `refused [migrator.adopt.structure-differs]: the database has no migration history and its structure is not the first migration's, so it was not adopted.`,
      "  fix: Make the database match the first migration (the differences above), or point DATABASE_URL at the project's database. Nothing was changed.",
    );
  }
  for (const notice of log.notices ?? []) lines.push("", `note [${notice.code}]: ${notice.summary}`);
  const showPolicy = log.dryRun || options.verbose === true || log.refusal?.code.startsWith("migrator.guard.") === true;
  if (showPolicy && log.sessionPolicy) {
    lines.push("", "Session guards (the server's, and what the runner does with each):");
    for (const entry of log.sessionPolicy) lines.push(`  ${entry.setting}: server ${entry.server}; runner: ${entry.runner} (${entry.why})`);
  }
  if (log.refusal) lines.push("", `refused [${log.refusal.code}]: ${log.refusal.summary}`, `  fix: ${log.refusal.fix}`);
  if (log.failure) lines.push("", `error [${log.failure.code}]: ${log.failure.migration}: ${log.failure.step}: ${log.failure.summary}`, `  fix: ${log.failure.fix}`);
  if (log.invalidIndexesRebuilt.length > 0) {
    lines.push("", `${log.dryRun ? "INVALID indexes to rebuild" : "INVALID indexes rebuilt"}: ${log.invalidIndexesRebuilt.join(", ")}`);
  }
  for (const waiting of log.waiting ?? []) lines.push("", `waits for a later run: ${waiting.migration}: ${waiting.reason}.`);
  const outcome = log.waiting?.length
    ? log.outcome === "up-to-date"
      ? `Nothing to apply in this run: ${log.waiting.length} migration(s) wait for a later one.`
      : log.outcome === "applied"
        ? `Applied what this run may apply; ${log.waiting.length} migration(s) wait for a later run.`
        : OUTCOME_TEXT[log.outcome]
    : OUTCOME_TEXT[log.outcome];
  lines.push("", `${outcome} (${ms(log.durationMs)})`);
  if (applyLogPath) lines.push(`Apply log: ${applyLogPath}`);
  return lines.join("\n");
}

/**
 * Live progress lines (stderr): migrations as they start and end, long steps (index builds,
 * validations) with their progress, failures. Returns undefined when an event is not worth a line.
 */
export function renderEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case "lock-waiting":
      return `waiting for the migration lock held by ${event.holder}`;
    case "adopting":
      return `no migration history: comparing the structure with the baseline ${event.baseline}`;
    case "preflight":
      return `pre-flight: read-only checks of ${event.operations} operation(s) against the data`;
    case "migration-start":
      return `${event.resumed ? "resuming" : "applying"} ${event.name}`;
    case "step-start":
      return event.step.progress ? `  ${event.step.description}` : undefined;
    case "step-progress": {
      const percent = event.sample.fraction !== undefined ? ` ${(event.sample.fraction * 100).toFixed(0)}%` : "";
      const phase = event.sample.phase ? ` ${event.sample.phase}` : "";
      const waiting = event.sample.waitingForLock ? " (waiting for a lock)" : "";
      return `    … ${(event.sample.elapsedMs / 1000).toFixed(1)} s${phase}${percent}${waiting}`;
    }
    case "batch": {
      const percent = event.total > 0 ? ` (${((event.visited / event.total) * 100).toFixed(0)}%)` : "";
      const eta = event.etaMs > 0 ? `, about ${duration(event.etaMs)} left` : "";
      const waited = event.waitedOn ? `; ${event.waitedOn.sessions} application session(s) waited on its row locks, so batches aim at ${ms(event.waitedOn.nextTargetMs)} from now on` : "";
      return `    … ${event.rows.toLocaleString("en-US")} row(s) repaired; ${event.visited.toLocaleString("en-US")} of ${event.total.toLocaleString("en-US")} rows visited${percent}${eta} (batch of ${event.batchSize}, ${event.elapsedMs.toFixed(0)} ms${waited})`;
    }
    case "step-done":
      if (event.log.status !== "failed" && (event.log.durationMs ?? 0) < 1000) return undefined;
      return `    ${event.log.status} in ${ms(event.log.durationMs)}${event.log.retries ? ` after ${event.log.retries} retries` : ""}${event.log.rowsAffected !== undefined ? `, ${event.log.rowsAffected} row(s)` : ""}${event.log.batches ? ` in ${batchFacts(event.log)}` : ""}`;
    case "lock-wait": {
      const attempt = event.attempt ? `attempt ${event.attempt.attempt} of ${event.attempt.maxAttempts} gave up after ${ms(event.attempt.lockTimeoutMs)}, ${ms(event.attempt.waitedMs)} waited so far; ` : "";
      const wait = event.wait;
      const holders = wait && wait.blockers.length > 0 ? `${wait.wantedMode} on ${wait.wantedOn} is held by ${wait.blockers.map(describeBlocker).join("; ")}` : "the lock's holder was not seen (it let go, or the wait was too short to catch)";
      return `    waiting: ${event.step.description}: ${attempt}${holders}`;
    }
    case "migration-done":
      return `done ${event.name} (${ms(event.durationMs)})`;
    case "load":
      if (event.state === "waiting") return `  paused: ${event.reason}${event.waitedMs > 0 ? `; waited ${ms(event.waitedMs)}` : ""}`;
      if (event.state === "resumed") return `  resumed after ${ms(event.waitedMs)} (${event.reason})`;
      return `  went on after ${ms(event.waitedMs)} of waiting (--max-load): ${event.reason}`;
    case "interrupted": {
      const batches = event.batches ? ` after ${event.batches.visited.toLocaleString("en-US")} of ${event.batches.total.toLocaleString("en-US")} rows (up to key ${event.batches.lastKey})` : "";
      return [
        `interrupted [migrator.interrupted]: ${event.migration} stopped during "${event.step}"${batches}. Its committed steps and batches are kept and journaled in _prisma_migrations; the attempt is recorded as interrupted (unfinished, so prisma migrate deploy does not re-run it blindly).`,
        `  resume: pnpm db:migrate (it continues after the last committed step${event.batches ? " and batch" : ""}; nothing done is redone)`,
      ].join("\n");
    }
    case "replica-lag":
      if (event.state === "unreadable") return `  cannot read the replay lag of standby ${event.standby} (the role needs pg_monitor); not waiting for it`;
      if (event.state === "resumed") return `  standby ${event.standby} caught up (${ms(event.lagMs)} behind); resuming after ${ms(event.waitedMs)}`;
      return `  paused: standby ${event.standby} replays ${ms(event.lagMs)} behind (limit ${ms(event.maxLagMs)}); waited ${ms(event.waitedMs)}`;
    default:
      return undefined;
  }
}
