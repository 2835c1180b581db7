import { describeBlocker, readServerGuards, readWholeLiveSchema, type LiveSchema, type LockWait, type SnapshotDifference } from "@soleflip/catalog";
import { formatDuration, isShuttingDown, onShutdown, redactConnectionString, toToolkitError, ToolkitError } from "@soleflip/core";
import {
  carryOverJournal,
  ensureHistoryTable,
  historyTableExists,
  journalInsert,
  journalProgress,
  journaledSteps,
  readHistory,
  readLocalMigrations,
  recordAdopted,
  recordFailed,
  recordFinished,
  recordRolledBack,
  recordStarted,
  type HistoryRow,
} from "@soleflip/history";
import { actedOnEarlier, planOperation, runPreflight, type EnsureIndex, type PlanContext, type PlannedOperation, type PreflightResult, type Step } from "@soleflip/planner";
import { connectClient, serverVersionNum } from "@soleflip/postgres";
import { quoteIdent, quoteLiteral } from "@soleflip/sql";
import type pg from "pg";
import { compareWithBaseline } from "./adopt.ts";
import { acquireMigrationLock } from "./advisory-lock.ts";
import { DEFAULT_EXECUTION, StepFailedError, executeStep, type BatchProgress, type ExecutionOptions, type StatementHooks } from "./executor.ts";
import { watchProgress, type ProgressSample } from "./progress.ts";
import { recogniseMigrations, type RecognisedMigration } from "./recognise-migrations.ts";
import type { MigrationLog, OperationLog, OperationSubject, RunLog, RunOutcome, StepLog } from "./run-log.ts";
import { classifyTarget } from "./target-state.ts";
import { replicaLagGate, type ReplicaLagEvent } from "./replica-lag.ts";
import { watchLockWaits } from "./lock-wait-watch.ts";
import { DEFAULT_LOAD_LIMITS, loadGate, type LoadEvent, type LoadGate, type LoadLimits } from "./load-gate.ts";
import { checkPendingMigrations } from "./pending-checks.ts";
import { RUNNER_APPLICATION_NAME, sessionPolicy, statementTimeoutFor, stepsUnderStatementTimeout } from "./session-policy.ts";

export type RunEvent =
  | { type: "lock-waiting"; holder: string }
  | { type: "adopting"; baseline: string }
  | { type: "preflight"; operations: number }
  | { type: "migration-start"; name: string; resumed: boolean }
  | { type: "operation"; migration: string; log: OperationLog }
  | { type: "step-start"; migration: string; operationId: string; step: Step }
  | { type: "step-progress"; migration: string; step: Step; sample: ProgressSample }
  | ({ type: "batch"; migration: string; step: Step } & BatchProgress)
  | { type: "step-done"; migration: string; operationId: string; log: StepLog }
  /** A step waits for a lock: who holds it; `attempt` when an attempt just gave up and the step retries. */
  | { type: "lock-wait"; migration: string; step: Step; wait: LockWait | undefined; attempt?: { attempt: number; maxAttempts: number; lockTimeoutMs: number; waitedMs: number } }
  | { type: "migration-done"; name: string; durationMs: number }
  | LoadEvent
  /** A signal stopped the run mid-step: what is kept, and how to resume. */
  | { type: "interrupted"; migration: string; step: string; batches?: { lastKey: string; visited: number; total: number } }
  | ReplicaLagEvent;

/** Where a step sits in the run. */
export interface StepContext {
  migration: string;
  operationId: string;
  operationKind: string;
  step: Step;
}

/** Awaited callbacks around the work, for watching it from outside (the observed rehearsal). */
export interface RunObserver {
  /** The backend that will run every statement, before the first change. */
  workerStarted?(pid: number): Promise<void> | void;
  beforeStep?(context: StepContext): Promise<void> | void;
  /** After the step committed (or failed). */
  afterStep?(context: StepContext, log: StepLog): Promise<void> | void;
  beforeStatement?(sql: string): Promise<void> | void;
  /** After each statement; inside a transactional step, before its COMMIT. */
  afterStatement?(sql: string, result: { ok: boolean; rows: number | undefined }): Promise<void> | void;
}

export interface RunOptions {
  databaseUrl: string;
  migrationsDir: string;
  /** Where a scratch database for adoption may be made; asked for only when a database is adopted. */
  scratchServer?: (() => Promise<{ adminUrl: string }>) | undefined;
  dryRun?: boolean;
  execution?: Partial<ExecutionOptions>;
  /** How long to wait for another run's migration lock. */
  lockWaitMs?: number;
  onEvent?: (event: RunEvent) => void;
  /** A trial on a scratch copy: hazards count as acknowledged (the author acknowledges them in the file). */
  acknowledgeAllHazards?: boolean;
  /** Told about the run's backend, each step and each statement, and awaited (the observed rehearsal). */
  observer?: RunObserver;
  /** Called before each long step and each batch, e.g. to wait while a replica lags. */
  throttle?: (() => Promise<void>) | undefined;
  /** Wait before each long step and each batch while a streaming standby replays further behind than this (0: never). */
  maxReplicaLagMs?: number | undefined;
  /** statement_timeout for long steps (index builds, validations, batched repairs); the server's is kept for the rest. */
  longStepStatementTimeoutMs?: number | undefined;
  /**
   * A contract (`-- migrator:contract-of`) runs only in a run after the one that finished its expand: by then
   * the application's previous version, which still uses what the contract drops, has been replaced. A trial
   * on a scratch copy runs both at once (false).
   */
  contractsWaitForLaterRun?: boolean;
  /** Apply the pending migrations up to this one (included) only, e.g. an expand before its switch. */
  to?: string | undefined;
  /** Wait before long steps and batches while the server is busier than this (false: never). */
  load?: Partial<LoadLimits> | false | undefined;
  /** maintenance_work_mem of the runner's session (index builds sort in memory where they fit), e.g. "256MB". */
  maintenanceWorkMem?: string | undefined;
}

/** The runner's session never takes the application's cores for parallel workers; builds get their own memory. */
export const DEFAULT_MAINTENANCE_WORK_MEM = "256MB";

const EMPTY_LIVE: LiveSchema = { schemas: [], tables: [], columns: [], foreignKeys: [], constraints: [], indexes: [], enums: [] };
const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Brings a database to the head of the migration history, safely: checks the history (edited or unknown
 * migrations stop it), refuses a non-empty database it has no history for unless it matches the
 * baseline (then adopts it), runs read-only pre-flight checks for everything pending before the first
 * change, then applies each operation from the live definitions with short lock timeouts and retries,
 * recording progress in Prisma's _prisma_migrations. Returns the run log; throws only when the tool
 * itself fails (bad input, unreachable database).
 */
export async function runMigrations(options: RunOptions): Promise<RunLog> {
  const started = new Date();
  const execution: ExecutionOptions = { ...DEFAULT_EXECUTION, ...options.execution };
  const emit = options.onEvent ?? (() => undefined);
  const log: RunLog = {
    tool: "soleflip-migrator",
    version: 1,
    database: redactConnectionString(options.databaseUrl),
    startedAt: started.toISOString(),
    finishedAt: started.toISOString(),
    durationMs: 0,
    dryRun: options.dryRun === true,
    outcome: "up-to-date",
    adoptedBaseline: null,
    migrations: [],
    preflight: [],
    structuralDifferences: [],
    invalidIndexesRebuilt: [],
    settings: { lockTimeoutMs: execution.lockTimeoutMs, maxRetries: execution.maxRetries },
  };
  let loadPauses = (): Array<{ reason: string; waitedMs: number }> => [];
  const finish = (outcome: RunOutcome): RunLog => {
    const finished = new Date();
    const pauses = loadPauses();
    if (pauses.length > 0) log.loadPauses = pauses;
    log.outcome = isShuttingDown() && outcome === "failed" ? "interrupted" : outcome;
    log.finishedAt = finished.toISOString();
    log.durationMs = finished.getTime() - started.getTime();
    return log;
  };

  const local = recogniseMigrations(await readLocalMigrations(options.migrationsDir));
  const client = await connectClient(options.databaseUrl, { applicationName: RUNNER_APPLICATION_NAME });
  let monitor: pg.Client | undefined;
  let releaseLock: (() => Promise<void>) | undefined;
  let workerPid = 0;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  // Ctrl-C: cancel the statement in flight (the step fails and is recorded as such), then let the run finish.
  const unregister = onShutdown(async () => {
    if (monitor && workerPid) await monitor.query("SELECT pg_cancel_backend($1)", [workerPid]).catch(() => undefined);
    await settled;
  });
  try {
    workerPid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
    const version = await serverVersionNum(client);
    log.serverVersionNum = version;
    releaseLock = await acquireMigrationLock(client, options.lockWaitMs ?? 60_000, (holder) => emit({ type: "lock-waiting", holder }));
    const hasHistory = await historyTableExists(client);
    const history = await readHistory(client);
    checkHistory(local, history);

    const applied = new Set(history.filter((row) => row.finishedAt && !row.rolledBackAt).map((row) => row.migrationName));
    const interrupted = new Map(history.filter((row) => !row.finishedAt && !row.rolledBackAt).map((row) => [row.migrationName, row]));
    let pending = local.filter((migration) => !applied.has(migration.name));
    const notices = checkPendingMigrations(local, pending, applied);
    if (notices.length > 0) log.notices = notices;
    if (options.to) {
      const at = pending.findIndex((migration) => migration.name === options.to);
      if (at < 0 && !applied.has(options.to)) {
        throw new ToolkitError({ code: "migrator.to.unknown-migration", summary: `--to ${options.to}: no such migration in the folder.`, fix: `Name a migration folder, e.g. ${local.at(-1)?.name ?? "20260101000000_name"}. Nothing was changed.` });
      }
      const later = at < 0 ? pending : pending.slice(at + 1);
      if (later.length > 0) (log.notices ??= []).push({ code: "migrator.to.stopped", summary: `--to ${options.to}: ${later.length} later migration(s) left for another run (${later.map((m) => m.name).join(", ")}).` });
      pending = at < 0 ? [] : pending.slice(0, at + 1);
    }
    const held = holdContracts(pending, applied, options.contractsWaitForLaterRun !== false);
    if (held.waiting.length > 0) {
      log.waiting = held.waiting;
      pending = held.now;
    }

    const baseline = local[0];
    const target = await classifyTarget(client, hasHistory, baseline);
    if (target.kind === "foreign") {
      log.refusal = {
        code: "migrator.target.not-empty",
        summary: `The database has no migration history but holds ${target.tables.length} table(s) none of which the migrations create (e.g. ${target.tables.slice(0, 3).join(", ")}): it is someone else's database.`,
        fix: "Point DATABASE_URL at the project's database or at an empty one. Nothing was changed.",
      };
      log.migrations = local.map((migration) => ({ name: migration.name, checksum: migration.checksum, status: "pending", operations: [] }));
      return finish("refused");
    }
    let adopt = false;
    if (target.kind === "adoptable" && baseline) {
      emit({ type: "adopting", baseline: baseline.name });
      if (!options.scratchServer) throw new ToolkitError({ code: "migrator.adopt.no-scratch-server", summary: "Adopting a database needs a scratch server to build the baseline in.", fix: "This is a bug in the caller: pass scratchServer." });
      const server = await options.scratchServer();
      const comparison = await compareWithBaseline(client, baseline, local.slice(1).flatMap((m) => m.operations), server.adminUrl);
      if (comparison.differences.length > 0) {
        log.structuralDifferences = comparison.differences;
        log.migrations = local.map((migration) => ({ name: migration.name, checksum: migration.checksum, status: "pending", operations: [] }));
        return finish("structure-differs");
      }
      adopt = true;
      log.adoptedBaseline = baseline.name;
      pending = pending.filter((migration) => migration !== baseline);
    }

    for (const migration of local) {
      if (applied.has(migration.name)) log.migrations.push({ name: migration.name, checksum: migration.checksum, status: "already-applied", operations: [] });
      if (adopt && migration === baseline) log.migrations.push({ name: migration.name, checksum: migration.checksum, status: "adopted", operations: [] });
    }

    const live = await readWholeLiveSchema(client);
    const context: PlanContext = { live, serverVersionNum: version };
    const plans = pending.map((migration) => ({ migration: migration.name, planned: migration.operations.map((operation) => planOperation(operation, context)) }));
    const policy = sessionPolicy(await readServerGuards(client), execution, options.longStepStatementTimeoutMs, options.maintenanceWorkMem ?? DEFAULT_MAINTENANCE_WORK_MEM);
    log.sessionPolicy = policy.entries;
    execution.lockTimeoutCeilingMs = policy.lockTimeoutCeilingMs;
    const underTimeout = stepsUnderStatementTimeout(policy, plans, options.longStepStatementTimeoutMs);
    const serverTimeout = policy.serverStatementTimeout;
    if (underTimeout.length > 0 && serverTimeout) {
      log.refusal = {
        code: "migrator.guard.statement-timeout",
        summary: `The server's statement_timeout of ${formatDuration(serverTimeout.valueMs)} (${serverTimeout.source}) could cancel ${underTimeout.length} long step(s) of this run midway: ${underTimeout.slice(0, 3).map((s) => `${s.migration}: ${s.step}`).join("; ")}${underTimeout.length > 3 ? "; …" : ""}. The runner keeps an operator's guard rather than override it.`,
        fix: "Raise it for the long steps only: pass --statement-timeout <duration> (e.g. --statement-timeout 30min), or put `-- migrator:statement-timeout 30min` above the statement in the migration. Every other statement keeps the server's limit. Nothing was changed.",
      };
      log.migrations.push(...plans.map((plan) => ({ name: plan.migration, checksum: pending.find((m) => m.name === plan.migration)?.checksum ?? "", status: "pending" as const, operations: plan.planned.map((planned) => operationLog(planned, "planned")) })));
      return finish("refused");
    }
    // The first pending migration's gate (read-only) reads the database as it is now, before the pre-flight: it is
    // that migration's own precondition and says why in its words, where the pre-flight would count a symptom
    // (e.g. NULLs in a column the gate knows are values that did not convert).
    const first = pending[0];
    if (first?.gate) {
      const refused = await runGate(client, first, options.longStepStatementTimeoutMs);
      if (refused) {
        log.refusal = refused;
        log.migrations.push(...plans.map((plan) => ({ name: plan.migration, checksum: pending.find((m) => m.name === plan.migration)?.checksum ?? "", status: "pending" as const, operations: plan.planned.map((planned) => operationLog(planned, "planned")) })));
        return finish("refused");
      }
    }
    emit({ type: "preflight", operations: plans.reduce((sum, plan) => sum + plan.planned.length, 0) });
    log.preflight = await runPreflight(client, plans, live, version, { acknowledgeAll: options.acknowledgeAllHazards === true });
    const failedChecks = log.preflight.filter((result) => !result.passed);

    if (options.dryRun || failedChecks.length > 0) {
      const replannedWhenReached = actedOnEarlier(pending.flatMap((migration) => migration.operations), [live]);
      for (const plan of plans) {
        const migration = pending.find((m) => m.name === plan.migration);
        log.migrations.push({
          name: plan.migration,
          checksum: migration?.checksum ?? "",
          status: "pending",
          operations: plan.planned.map((planned) =>
            replannedWhenReached.has(planned.operation)
              ? { ...operationLog(planned, "planned"), found: `${planned.found}; an earlier operation of this run changes it first: planned again when reached`, steps: [] }
              : operationLog(planned, planned.status === "present" ? "already-present" : "planned"),
          ),
        });
      }
      log.invalidIndexesRebuilt = invalidDeclaredIndexes(local.filter((m) => applied.has(m.name)), context);
      return finish(failedChecks.length > 0 ? "preflight-failed" : "dry-run");
    }

    // From here on the database changes.
    monitor = await connectClient(options.databaseUrl, { applicationName: "soleflip-migrator-monitor" });
    await ensureHistoryTable(client);
    if (adopt && baseline) await recordAdopted(client, baseline.name, baseline.checksum);

    await options.observer?.workerStarted?.(workerPid);
    // The runner's own load: no parallel workers taking the application's cores, a bounded memory for builds.
    await client.query(`SET max_parallel_workers_per_gather = 0; SET max_parallel_maintenance_workers = 0; SET maintenance_work_mem = ${quoteLiteral(options.maintenanceWorkMem ?? DEFAULT_MAINTENANCE_WORK_MEM)}`);
    const lagGate = options.maxReplicaLagMs ? replicaLagGate(monitor, { maxLagMs: options.maxReplicaLagMs }, emit) : undefined;
    const gate = options.load === false ? undefined : loadGate(monitor, { ...DEFAULT_LOAD_LIMITS, ...options.load }, emit);
    loadPauses = () => gate?.pauses() ?? [];
    const throttle = async () => {
      await lagGate?.();
      await gate?.wait();
      await options.throttle?.();
    };
    const run = { client, monitor, workerPid, execution, emit, version, gate, options: { ...options, throttle } };
    for (const [index, migration] of pending.entries()) {
      if (migration.gate) {
        const refused = await runGate(client, migration, options.longStepStatementTimeoutMs);
        if (refused) {
          log.refusal = refused;
          log.migrations.push(...pending.slice(index).map((m) => ({ name: m.name, checksum: m.checksum, status: "pending" as const, operations: [] })));
          return finish("refused");
        }
      }
      const entry = await applyMigration(run, migration, interrupted.get(migration.name));
      log.migrations.push(entry.log);
      if (entry.failure) {
        log.failure = entry.failure;
        return finish("failed");
      }
    }

    log.invalidIndexesRebuilt = await rebuildInvalidIndexes(run, local.filter((m) => applied.has(m.name)));
    return finish(pending.length > 0 || adopt || log.invalidIndexesRebuilt.length > 0 ? "applied" : "up-to-date");
  } finally {
    await releaseLock?.();
    await monitor?.end().catch(() => undefined);
    await client.end().catch(() => undefined);
    unregister();
    settle();
  }
}

/**
 * Contracts wait for a later run than their expand's: the pending migrations up to the first contract whose
 * expand is not yet finished before this run (it runs in this run, or has not run), and what waits.
 */
function holdContracts(pending: readonly RecognisedMigration[], appliedBefore: ReadonlySet<string>, wait: boolean): { now: RecognisedMigration[]; waiting: NonNullable<RunLog["waiting"]> } {
  const at = wait ? pending.findIndex((migration) => migration.contractOf !== undefined && !appliedBefore.has(migration.contractOf)) : -1;
  if (at < 0) return { now: [...pending], waiting: [] };
  const contract = pending[at] as RecognisedMigration & { contractOf: string };
  const reason = `it drops what ${contract.contractOf} keeps for the application's previous version, and that expand ${pending.some((m) => m.name === contract.contractOf) ? "runs in this run" : "has not finished"}: run pnpm db:migrate again once no running version of the application uses the old names or types (the next deploy)`;
  return {
    now: pending.slice(0, at),
    waiting: pending.slice(at).map((migration) => ({ migration: migration.name, expand: migration === contract ? contract.contractOf : (migration.contractOf ?? contract.name), reason: migration === contract ? reason : `it comes after ${contract.name}, which waits` })),
  };
}

/**
 * A migration's gate: its DO block, run read-only before anything of the migration is recorded or changed.
 * When it raises, the migration is refused with the gate's own message and hint.
 */
async function runGate(client: pg.ClientBase, migration: RecognisedMigration, statementTimeoutMs: number | undefined): Promise<RunLog["refusal"]> {
  const statement = migration.gate?.statements[0];
  if (!statement) return undefined;
  try {
    await client.query("BEGIN READ ONLY");
    if (statementTimeoutMs !== undefined) await client.query(`SET LOCAL statement_timeout = ${statementTimeoutMs}`);
    await client.query(statement.text);
    await client.query("COMMIT");
    return undefined;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    const pgError = error as { message?: string; hint?: string; code?: string };
    // A gate that cannot run at all (a typo, a missing object) is the file's fault, not a refusal.
    if (pgError.code !== "P0001") throw toToolkitError(error, "migrator.gate.failed");
    return {
      code: "migrator.gate.refused",
      summary: `${migration.name}: its gate refused it: ${pgError.message ?? String(error)}`,
      fix: `${pgError.hint ?? "Do what the gate's message asks"}, then run pnpm db:migrate again. Nothing of ${migration.name} was changed.`,
    };
  }
}

function checkHistory(local: readonly RecognisedMigration[], history: readonly HistoryRow[]): void {
  const byName = new Map(local.map((migration) => [migration.name, migration]));
  for (const row of history) {
    if (!row.finishedAt || row.rolledBackAt) continue;
    const migration = byName.get(row.migrationName);
    if (!migration) {
      throw new ToolkitError({
        code: "migrator.history.unknown-migration",
        summary: `The database records migration ${row.migrationName} as applied, but it is not in the migrations folder.`,
        fix: "Check out the branch that has it; the histories have diverged. Nothing was changed.",
      });
    }
    if (migration.checksum !== row.checksum) {
      throw new ToolkitError({
        code: "migrator.history.edited",
        summary: `Migration ${row.migrationName} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk).`,
        fix: "Restore the applied file and put the change in a new migration. Nothing was changed.",
      });
    }
  }
}

export function subjectOf(operation: PlannedOperation["operation"]): OperationSubject {
  const fields = operation as Partial<{ table: { schema: string; table: string }; schema: string; name: string; column: string; to: string }>;
  const subject: OperationSubject = {};
  if (fields.table) {
    subject.schema = fields.table.schema;
    subject.table = fields.table.table;
  } else if (fields.schema) subject.schema = fields.schema;
  const name = fields.to ?? fields.name;
  if (name) subject.name = name;
  if (fields.column) subject.column = fields.column;
  return subject;
}

export function operationLog(planned: PlannedOperation, outcome: OperationLog["outcome"]): OperationLog {
  return {
    operationId: planned.operation.id,
    kind: planned.operation.kind,
    subject: subjectOf(planned.operation),
    found: planned.found,
    plannedAs: planned.status,
    outcome,
    steps: planned.steps.map((step) => ({ description: step.description, sql: step.sql, lock: step.lock, tables: step.tables, hazards: step.hazards, status: "planned" })),
  };
}

interface RunContext {
  client: pg.ClientBase;
  monitor: pg.ClientBase;
  gate: LoadGate | undefined;
  workerPid: number;
  execution: ExecutionOptions;
  emit: (event: RunEvent) => void;
  version: number;
  options: RunOptions;
}

async function applyMigration(run: RunContext, migration: RecognisedMigration, interrupted: HistoryRow | undefined): Promise<{ log: MigrationLog; failure?: RunLog["failure"] }> {
  const { client, emit } = run;
  const started = performance.now();
  const journal = await journaledSteps(client, interrupted);
  if (interrupted) await recordRolledBack(client, interrupted.id);
  emit({ type: "migration-start", name: migration.name, resumed: interrupted !== undefined });
  const attemptId = await recordStarted(client, migration.name, migration.checksum);
  await carryOverJournal(client, attemptId, journal);
  const entry: MigrationLog = { name: migration.name, checksum: migration.checksum, status: interrupted ? "resumed" : "applied", operations: [] };

  for (const operation of migration.operations) {
    if (operation === migration.gate) {
      const passed: OperationLog = { operationId: operation.id, kind: operation.kind, subject: {}, found: "the gate passed before the migration started", plannedAs: "raw", outcome: "skipped", steps: [] };
      entry.operations.push(passed);
      emit({ type: "operation", migration: migration.name, log: passed });
      continue;
    }
    if (operation.kind === "raw" && journal.committed.has(operation.id)) {
      const skipped: OperationLog = { operationId: operation.id, kind: operation.kind, subject: {}, found: "committed by an earlier, interrupted run", plannedAs: "raw", outcome: "skipped", steps: [] };
      entry.operations.push(skipped);
      emit({ type: "operation", migration: migration.name, log: skipped });
      continue;
    }
    const needsLive = operation.kind !== "raw" && operation.kind !== "session-setting";
    const planned = planOperation(operation, { live: needsLive ? await readWholeLiveSchema(client) : EMPTY_LIVE, serverVersionNum: run.version });
    const opLog = operationLog(planned, planned.status === "present" ? "already-present" : planned.status === "ignored" ? "skipped" : planned.status === "repair" ? "repaired" : "applied");
    entry.operations.push(opLog);
    for (const [index, step] of planned.steps.entries()) {
      const stepLog = opLog.steps[index];
      if (!stepLog) continue;
      if (step.progress || step.batched) await run.options.throttle?.();
      const observer = run.options.observer;
      const context: StepContext = { migration: migration.name, operationId: operation.id, operationKind: operation.kind, step };
      const hooks: StatementHooks | undefined = observer
        ? { before: (sql) => observer.beforeStatement?.(sql), after: (sql, result) => observer.afterStatement?.(sql, result) }
        : undefined;
      await observer?.beforeStep?.(context);
      emit({ type: "step-start", migration: migration.name, operationId: operation.id, step });
      const stopWatching = watchProgress(run.monitor, run.workerPid, step, (sample) => emit({ type: "step-progress", migration: migration.name, step, sample }));
      let reported = { key: "", at: 0 };
      let lastBatch: BatchProgress | undefined;
      const lockWatch = watchLockWaits(run.monitor, run.workerPid, (wait) => {
        // A line when the holders change, and every 5 s while the same ones hold the lock.
        const key = wait.blockers.map((b) => b.pid).join(",");
        if (key === reported.key && performance.now() - reported.at < 5_000) return;
        reported = { key, at: performance.now() };
        emit({ type: "lock-wait", migration: migration.name, step, wait });
      });
      const statementTimeoutMs = statementTimeoutFor(operation, step, run.options.longStepStatementTimeoutMs);
      try {
        const outcome = await executeStep(client, step, run.execution, {
          ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
          onLockTimeout: (attempt) => {
            lockWatch.contended();
            emit({ type: "lock-wait", migration: migration.name, step, wait: lockWatch.lastSeen(), attempt });
          },
          ...(operation.kind === "raw" && step.transactional ? { inTransaction: [journalInsert(attemptId, operation.id)] } : {}),
          ...(operation.kind === "ensure-index" && step.progress?.kind === "index-build" ? { beforeRetry: () => dropInvalid(client, operation) } : {}),
          ...(hooks ? { hooks } : {}),
          ...(step.batched
            ? {
                batches: {
                  resumeAfter: journal.progress.get(operation.id),
                  journal: (lastKey: string, previousKey: string | null) => journalProgress(attemptId, operation.id, lastKey, previousKey),
                  onBatch: (progress) => {
                    lastBatch = progress;
                    run.gate?.observeBatch({ ...progress, step: `${migration.name}: ${step.description}` });
                    emit({ type: "batch", migration: migration.name, step, ...progress });
                  },
                  ...(run.options.throttle ? { beforeBatch: run.options.throttle } : {}),
                },
              }
            : {}),
        });
        Object.assign(stepLog, { status: "applied", durationMs: round(outcome.durationMs), lockWaitMs: round(outcome.lockWaitMs), retries: outcome.retries });
        const waited = lockWatch.lastSeen();
        if (waited) stepLog.lockWait = { wanted: `${waited.wantedMode} on ${waited.wantedOn}`, blockers: waited.blockers };
        if (outcome.rowsAffected !== undefined) stepLog.rowsAffected = outcome.rowsAffected;
        if (outcome.batches !== undefined) stepLog.batches = outcome.batches;
        if (outcome.longestBatchMs !== undefined && (outcome.batches ?? 0) > 0) stepLog.longestBatchMs = round(outcome.longestBatchMs);
        if (outcome.waitedOnBatches) Object.assign(stepLog, { waitedOnBatches: outcome.waitedOnBatches, finalBatchTargetMs: outcome.finalBatchTargetMs });
        await observer?.afterStep?.(context, stepLog);
        emit({ type: "step-done", migration: migration.name, operationId: operation.id, log: stepLog });
      } catch (error) {
        const failure = error instanceof StepFailedError ? error : undefined;
        const waited = lockWatch.lastSeen();
        if (waited) stepLog.lockWait = { wanted: `${waited.wantedMode} on ${waited.wantedOn}`, blockers: waited.blockers };
        Object.assign(stepLog, {
          status: "failed",
          error: error instanceof Error ? error.message : String(error),
          ...(failure ? { durationMs: round(failure.outcome.durationMs), lockWaitMs: round(failure.outcome.lockWaitMs), retries: failure.outcome.retries } : {}),
        });
        opLog.outcome = "failed";
        entry.status = "failed";
        await observer?.afterStep?.(context, stepLog);
        emit({ type: "step-done", migration: migration.name, operationId: operation.id, log: stepLog });
        await recordFailed(client, attemptId, `${stepLog.description}: ${stepLog.error ?? ""}\n${failure?.statement ?? ""}\n`).catch(() => undefined);
        if (isShuttingDown()) {
          // The attempt stays unfinished, not rolled back: its committed steps and batches are in the database
          // and in its journal, and `prisma migrate deploy` must not take it for undone. The next run resumes it.
          const batches = lastBatch ? `; ${lastBatch.visited} of ${lastBatch.total} rows visited, up to key ${lastBatch.lastKey}` : "";
          await recordFailed(client, attemptId, `soleflip-migrator: interrupted by a signal at ${new Date().toISOString()} during ${stepLog.description}${batches}; committed steps and batches are kept; pnpm db:migrate resumes after them\n`).catch(() => undefined);
          emit({ type: "interrupted", migration: migration.name, step: stepLog.description, ...(lastBatch ? { batches: { lastKey: lastBatch.lastKey, visited: lastBatch.visited, total: lastBatch.total } } : {}) });
        }
        const mapped = toToolkitError(failure?.cause ?? error, "migrator.step-failed");
        const blockedBy = waited && waited.blockers.length > 0 ? ` It waited for ${waited.wantedMode} on ${waited.wantedOn}, held by ${waited.blockers.map(describeBlocker).join("; ")}.` : "";
        const retried = failure && failure.outcome.retries > 0 ? ` (${failure.outcome.retries + 1} attempts over ${formatDuration(Math.round(failure.outcome.lockWaitMs))})` : "";
        const fix =
          mapped.code === "migrator.step-failed"
            ? "Fix the cause named above and run again: completed work is kept, and the run resumes after it."
            : mapped.code === "postgres.lock-timeout" && waited?.blockers[0]
              ? `Wait for pid ${waited.blockers[0].pid} to finish (or ask its owner to; pg_terminate_backend(${waited.blockers[0].pid}) ends it), then run again: completed work is kept. A longer --lock-timeout makes writers queue behind the step for longer.`
              : mapped.fix;
        return { log: { ...entry, durationMs: round(performance.now() - started) }, failure: { code: mapped.code, summary: `${mapped.summary}${retried}${blockedBy}`, fix, migration: migration.name, step: stepLog.description } };
      } finally {
        await lockWatch.stop();
        await stopWatching();
      }
    }
    if (operation.kind === "ensure-index" && planned.steps.length > 0) await assertIndexValid(client, operation, run.version);
    emit({ type: "operation", migration: migration.name, log: opLog });
  }
  await recordFinished(client, attemptId);
  const durationMs = round(performance.now() - started);
  emit({ type: "migration-done", name: migration.name, durationMs });
  return { log: { ...entry, durationMs } };
}

async function dropInvalid(client: pg.ClientBase, operation: EnsureIndex): Promise<void> {
  const result = await client.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2`,
    [operation.table.schema, operation.name],
  );
  if (result.rows[0] && !result.rows[0].valid) {
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(operation.table.schema)}.${quoteIdent(operation.name)}`);
  }
}

async function assertIndexValid(client: pg.ClientBase, operation: EnsureIndex, version: number): Promise<void> {
  const planned = planOperation(operation, { live: await readWholeLiveSchema(client), serverVersionNum: version });
  if (planned.status !== "present") {
    throw new ToolkitError({
      code: "migrator.index.invalid-after-build",
      summary: `Index ${operation.table.schema}.${operation.name} is not valid after its build: ${planned.found}`,
      fix: "Run the migration again; the invalid index is dropped and rebuilt.",
    });
  }
}

function declaredIndexes(applied: readonly RecognisedMigration[]): EnsureIndex[] {
  return applied.flatMap((migration) => migration.operations).filter((operation): operation is EnsureIndex => operation.kind === "ensure-index");
}

function invalidDeclaredIndexes(applied: readonly RecognisedMigration[], context: PlanContext): string[] {
  return declaredIndexes(applied)
    .filter((operation) => planOperation(operation, context).rebuildsInvalidIndex === true)
    .map((operation) => `${operation.table.schema}.${operation.name}`);
}

/** Indexes that applied migrations declare but that an interrupted concurrent build left INVALID. */
async function rebuildInvalidIndexes(run: RunContext, applied: readonly RecognisedMigration[]): Promise<string[]> {
  const rebuilt: string[] = [];
  const live = await readWholeLiveSchema(run.client);
  for (const operation of declaredIndexes(applied)) {
    const planned = planOperation(operation, { live, serverVersionNum: run.version });
    if (!planned.rebuildsInvalidIndex) continue;
    for (const step of planned.steps) {
      const stop = watchProgress(run.monitor, run.workerPid, step, () => undefined);
      try {
        await executeStep(run.client, step, run.execution, { beforeRetry: () => dropInvalid(run.client, operation) });
      } finally {
        await stop();
      }
    }
    await assertIndexValid(run.client, operation, run.version);
    rebuilt.push(`${operation.table.schema}.${operation.name}`);
  }
  return rebuilt;
}

export type { PreflightResult, SnapshotDifference };
