import { readWholeLiveSchema, type LiveSchema, type SnapshotDifference } from "@soleflip/catalog";
import { ToolkitError, redactConnectionString, toToolkitError } from "@soleflip/core";
import { connectClient } from "@soleflip/postgres";
import type pg from "pg";
import { compareWithBaseline } from "../adopt/adopt.ts";
import { readLocalMigrations, type LocalMigration } from "../history/local-migrations.ts";
import { ensureJournal, journalInsert, journaledSteps } from "../history/journal.ts";
import {
  ensureHistoryTable,
  historyTableExists,
  readHistory,
  recordAdopted,
  recordFailed,
  recordFinished,
  recordRolledBack,
  recordStarted,
  type HistoryRow,
} from "../history/prisma-migrations-table.ts";
import { quoteIdent, type EnsureIndex } from "../plan/operations.ts";
import { planOperation, type PlannedOperation, type Step } from "../plan/plan-operation.ts";
import { runPreflight, type PreflightResult } from "../preflight/preflight.ts";
import { acquireMigrationLock } from "./advisory-lock.ts";
import { DEFAULT_EXECUTION, StepFailedError, executeStep, type ExecutionOptions } from "./executor.ts";
import { watchProgress, type ProgressSample } from "./progress.ts";
import type { MigrationLog, OperationLog, RunLog, RunOutcome, StepLog } from "./run-log.ts";

export type RunEvent =
  | { type: "lock-waiting"; holder: string }
  | { type: "adopting"; baseline: string }
  | { type: "migration-start"; name: string; resumed: boolean }
  | { type: "operation"; migration: string; log: OperationLog }
  | { type: "step-start"; migration: string; step: Step }
  | { type: "step-progress"; migration: string; step: Step; sample: ProgressSample }
  | { type: "step-done"; migration: string; log: StepLog }
  | { type: "migration-done"; name: string; durationMs: number };

export interface RunOptions {
  databaseUrl: string;
  migrationsDir: string;
  /** Server on which a scratch database for adoption may be created; defaults to the target's server. */
  shadowDatabaseUrl?: string | undefined;
  dryRun?: boolean;
  execution?: Partial<ExecutionOptions>;
  /** How long to wait for another run's migration lock. */
  lockWaitMs?: number;
  onEvent?: (event: RunEvent) => void;
}

const readLive = (client: pg.ClientBase): Promise<LiveSchema> => readWholeLiveSchema(client);

/**
 * Brings a database to the head of the migration history, safely: checks the history (edited or unknown
 * migrations stop it), adopts a database created outside Prisma when its structure matches the baseline,
 * runs read-only pre-flight checks for everything pending before the first change, then applies each
 * operation from the live definitions with short lock timeouts and retries, recording progress in
 * Prisma's _prisma_migrations. Returns the run log; throws only when the tool itself fails.
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
  const finish = (outcome: RunOutcome): RunLog => {
    const finished = new Date();
    log.outcome = outcome;
    log.finishedAt = finished.toISOString();
    log.durationMs = finished.getTime() - started.getTime();
    return log;
  };

  const local = await readLocalMigrations(options.migrationsDir);
  const client = await connectClient(options.databaseUrl, { applicationName: "soleflip-migrator" });
  let monitor: pg.Client | undefined;
  let releaseLock: (() => Promise<void>) | undefined;
  try {
    releaseLock = await acquireMigrationLock(client, options.lockWaitMs ?? 60_000, (holder) => emit({ type: "lock-waiting", holder }));
    const hasHistory = await historyTableExists(client);
    const history = await readHistory(client);
    checkHistory(local, history);

    const applied = new Set(history.filter((row) => row.finishedAt && !row.rolledBackAt).map((row) => row.migrationName));
    const interrupted = new Map(history.filter((row) => !row.finishedAt && !row.rolledBackAt).map((row) => [row.migrationName, row]));
    let pending = local.filter((migration) => !applied.has(migration.name));

    // A database made outside Prisma: adopt it when it matches the baseline.
    const baseline = local[0];
    let adopt = false;
    if (!hasHistory && baseline && (await holdsAnyBaselineSchema(client, baseline))) {
      emit({ type: "adopting", baseline: baseline.name });
      const comparison = await compareWithBaseline(client, baseline, local.slice(1), options.shadowDatabaseUrl ?? options.databaseUrl);
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

    const live = await readLive(client);
    const plans = pending.map((migration) => ({ migration: migration.name, planned: migration.operations.map((operation) => planOperation(operation, live)) }));
    log.preflight = await runPreflight(client, plans, live);
    const failedChecks = log.preflight.filter((result) => !result.passed);

    if (options.dryRun || failedChecks.length > 0) {
      for (const plan of plans) {
        const migration = pending.find((m) => m.name === plan.migration);
        log.migrations.push({
          name: plan.migration,
          checksum: migration?.checksum ?? "",
          status: "pending",
          operations: plan.planned.map((planned) => operationLog(planned, planned.status === "present" ? "already-present" : "planned")),
        });
      }
      log.invalidIndexesRebuilt = invalidDeclaredIndexes(local.filter((m) => applied.has(m.name)), live);
      return finish(failedChecks.length > 0 ? "preflight-failed" : "dry-run");
    }

    // From here on the database changes.
    monitor = await connectClient(options.databaseUrl, { applicationName: "soleflip-migrator-monitor" });
    await ensureHistoryTable(client);
    await ensureJournal(client);
    if (adopt && baseline) await recordAdopted(client, baseline.name, baseline.checksum);

    for (const migration of pending) {
      const entry = await applyMigration(client, monitor, migration, interrupted.get(migration.name), execution, emit);
      log.migrations.push(entry);
      if (entry.status === "failed") return finish("failed");
    }

    const workerPid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
    log.invalidIndexesRebuilt = await rebuildInvalidIndexes(client, monitor, workerPid, local.filter((m) => applied.has(m.name)), execution);
    return finish(pending.length > 0 || adopt || log.invalidIndexesRebuilt.length > 0 ? "applied" : "up-to-date");
  } finally {
    await releaseLock?.();
    await monitor?.end().catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

function checkHistory(local: readonly LocalMigration[], history: readonly HistoryRow[]): void {
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

async function holdsAnyBaselineSchema(client: pg.ClientBase, baseline: LocalMigration): Promise<boolean> {
  const created = baseline.statements
    .map((statement) => statement.node)
    .filter((node) => "CreateSchemaStmt" in node)
    .map((node) => ((node as { CreateSchemaStmt: { schemaname?: string } }).CreateSchemaStmt.schemaname ?? ""));
  if (created.length === 0) return false;
  const found = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = ANY ($1::text[])", [created]);
  return (found.rowCount ?? 0) > 0;
}

function operationLog(planned: PlannedOperation, outcome: OperationLog["outcome"]): OperationLog {
  return {
    operationId: planned.operation.id,
    kind: planned.operation.kind,
    found: planned.found,
    plannedAs: planned.status,
    outcome,
    steps: planned.steps.map((step) => ({ description: step.description, sql: step.sql, lock: step.lock, tables: step.tables, hazards: step.hazards, status: "planned" })),
  };
}

async function applyMigration(
  client: pg.ClientBase,
  monitor: pg.ClientBase,
  migration: LocalMigration,
  interrupted: HistoryRow | undefined,
  execution: ExecutionOptions,
  emit: (event: RunEvent) => void,
): Promise<MigrationLog> {
  const started = performance.now();
  if (interrupted) await recordRolledBack(client, interrupted.id);
  emit({ type: "migration-start", name: migration.name, resumed: interrupted !== undefined });
  const id = await recordStarted(client, migration.name, migration.checksum);
  const done = await journaledSteps(client, migration.name, migration.checksum);
  const workerPid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
  const entry: MigrationLog = { name: migration.name, checksum: migration.checksum, status: interrupted ? "resumed" : "applied", operations: [] };

  for (const operation of migration.operations) {
    if (operation.kind === "raw" && done.has(operation.id)) {
      const skipped: OperationLog = {
        operationId: operation.id, kind: operation.kind, found: "committed by an earlier, interrupted run", plannedAs: "raw", outcome: "skipped",
        steps: [],
      };
      entry.operations.push(skipped);
      emit({ type: "operation", migration: migration.name, log: skipped });
      continue;
    }
    const planned = planOperation(operation, operation.kind === "raw" || operation.kind === "session-setting" ? EMPTY_LIVE : await readLive(client));
    const opLog = operationLog(planned, planned.status === "present" ? "already-present" : planned.status === "ignored" ? "skipped" : planned.status === "repair" ? "repaired" : "applied");
    entry.operations.push(opLog);
    for (const [index, step] of planned.steps.entries()) {
      const stepLog = opLog.steps[index];
      if (!stepLog) continue;
      emit({ type: "step-start", migration: migration.name, step });
      const stopWatching = watchProgress(monitor, workerPid, step, (sample) => emit({ type: "step-progress", migration: migration.name, step, sample }));
      try {
        const outcome = await executeStep(client, step, execution, {
          ...(operation.kind === "raw" && step.transactional ? { inTransaction: [journalInsert(migration.name, migration.checksum, operation.id)] } : {}),
          ...(operation.kind === "ensure-index" && step.progress?.kind === "index-build" ? { beforeRetry: () => dropInvalid(client, operation) } : {}),
        });
        Object.assign(stepLog, { status: "applied", durationMs: round(outcome.durationMs), lockWaitMs: round(outcome.lockWaitMs), retries: outcome.retries });
        if (outcome.rowsAffected !== undefined) stepLog.rowsAffected = outcome.rowsAffected;
        emit({ type: "step-done", migration: migration.name, log: stepLog });
      } catch (error) {
        const failure = error instanceof StepFailedError ? error : undefined;
        Object.assign(stepLog, {
          status: "failed",
          error: error instanceof Error ? error.message : String(error),
          ...(failure ? { durationMs: round(failure.outcome.durationMs), lockWaitMs: round(failure.outcome.lockWaitMs), retries: failure.outcome.retries } : {}),
        });
        opLog.outcome = "failed";
        entry.status = "failed";
        emit({ type: "step-done", migration: migration.name, log: stepLog });
        await recordFailed(client, id, `${stepLog.description}: ${stepLog.error ?? ""}\n${failure?.statement ?? ""}`).catch(() => undefined);
        return { ...entry, durationMs: round(performance.now() - started) };
      } finally {
        await stopWatching();
      }
    }
    if (operation.kind === "ensure-index" && planned.steps.length > 0) await assertIndexValid(client, operation);
    emit({ type: "operation", migration: migration.name, log: opLog });
  }
  await recordFinished(client, id);
  const durationMs = round(performance.now() - started);
  emit({ type: "migration-done", name: migration.name, durationMs });
  return { ...entry, durationMs };
}

const EMPTY_LIVE: LiveSchema = { schemas: [], tables: [], columns: [], foreignKeys: [], constraints: [], indexes: [], enums: [] };

const round = (ms: number) => Math.round(ms * 10) / 10;

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

async function assertIndexValid(client: pg.ClientBase, operation: EnsureIndex): Promise<void> {
  const live = await readLive(client);
  const planned = planOperation(operation, live);
  if (planned.status !== "present") {
    throw new ToolkitError({
      code: "migrator.index.invalid-after-build",
      summary: `Index ${operation.table.schema}.${operation.name} is not valid after its build: ${planned.found}`,
      fix: "Run the migration again; the invalid index is dropped and rebuilt.",
    });
  }
}

function invalidDeclaredIndexes(applied: readonly LocalMigration[], live: LiveSchema): string[] {
  return applied
    .flatMap((migration) => migration.operations)
    .filter((operation): operation is EnsureIndex => operation.kind === "ensure-index")
    .filter((operation) => planOperation(operation, live).rebuildsInvalidIndex === true)
    .map((operation) => `${operation.table.schema}.${operation.name}`);
}

/** Indexes that applied migrations declare but that an interrupted concurrent build left INVALID. */
async function rebuildInvalidIndexes(
  client: pg.ClientBase,
  monitor: pg.ClientBase,
  workerPid: number,
  applied: readonly LocalMigration[],
  execution: ExecutionOptions,
): Promise<string[]> {
  const rebuilt: string[] = [];
  const live = await readLive(client);
  for (const operation of applied.flatMap((migration) => migration.operations)) {
    if (operation.kind !== "ensure-index") continue;
    const planned = planOperation(operation, live);
    if (!planned.rebuildsInvalidIndex) continue;
    for (const step of planned.steps) {
      const stop = watchProgress(monitor, workerPid, step, () => undefined);
      try {
        await executeStep(client, step, execution, { beforeRetry: () => dropInvalid(client, operation) });
      } finally {
        await stop();
      }
    }
    await assertIndexValid(client, operation);
    rebuilt.push(`${operation.table.schema}.${operation.name}`);
  }
  return rebuilt;
}

export function errorLog(error: unknown): { code: string; summary: string; fix: string } {
  const toolkit = toToolkitError(error);
  return { code: toolkit.code, summary: toolkit.summary, fix: toolkit.fix };
}

export type { PreflightResult, SnapshotDifference };
