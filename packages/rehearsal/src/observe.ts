import type pg from "pg";
import type { Hazard, LockMode } from "@soleflip/planner";
import { connectClient } from "@soleflip/postgres";
import type { RunObserver, StepContext, StepLog } from "@soleflip/runner";
import type { RehearsalConfig } from "./config.ts";
import { readHeldLocks, LockSampler, type LockSample } from "./lock-sampler.ts";
import { rehearsalSql } from "./load-sql.ts";
import { WriteProbes, type WriteAttempt } from "./write-probes.ts";

/** A table's storage identity and size at one moment. */
export interface RelationState {
  /** pg_class.relkind: r table, p partitioned table, S sequence, … */
  kind: string;
  relfilenode: number;
  bytes: number;
  /** `schema.name` of the sequences it owns (serial and identity columns): they go with it. */
  ownedSequences: string[];
}

/** What the observer recorded around one step the runner ran. */
export interface StepRecord {
  migration: string;
  operationId: string;
  operationKind: string;
  description: string;
  sql: string[];
  predictedLock: LockMode;
  /** `schema.table` of every table the plan says the step locks. */
  predictedTables: string[];
  hazards: Hazard[];
  transactional: boolean;
  startedAt: number;
  finishedAt: number;
  statements: Array<{ sql: string; startedAt: number; finishedAt: number; ok: boolean; rows: number | undefined }>;
  before: Record<string, RelationState>;
  after: Record<string, RelationState>;
  /** relfilenode of every table before and after (rewrites of tables the plan did not name). */
  filenodesBefore: Record<string, number>;
  filenodesAfter: Record<string, number>;
  walBefore: number;
  walAfter: number;
  status: StepLog["status"];
  rowsAffected: number | undefined;
}

export interface RawObservation {
  /** performance.now() when the migration's backend was known: time 0 of the timeline. */
  origin: number;
  workerPid: number;
  steps: StepRecord[];
  samples: LockSample[];
  writes: WriteAttempt[];
  sampleReads: number;
  /** Whether a synthetic write load ran. */
  load: boolean;
}

export interface ObservationOptions {
  databaseUrl: string;
  config: Pick<RehearsalConfig, "sampleIntervalMs" | "load">;
  /** Run the synthetic writers (only on a database the toolkit made: they take locks on its tables). */
  load: boolean;
  /** Tables to load from the start (e.g. every table a plan touches); others join at the first step that names them. */
  tables?: ReadonlyArray<{ schema: string; table: string }>;
}

/** How long the sampler reads back to back when a statement outside a transaction starts. */
const BURST_MS = 50;

const splitName = (qualified: string): { schema: string; table: string } => {
  const dot = qualified.indexOf(".");
  return { schema: qualified.slice(0, dot), table: qualified.slice(dot + 1) };
};

/**
 * Watches a migration run: pg_locks of its backend (sampled, and read after each statement while the
 * step's transaction still holds them), every touched table's relfilenode and size and the WAL position
 * before and after each step, under a synthetic write load on the touched tables. Pass `observer` to
 * runMigrations, then call `finish()`.
 */
export class Observation {
  readonly observer: RunObserver;
  private client: pg.Client | undefined;
  private samplerClient: pg.Client | undefined;
  private sampler: LockSampler | undefined;
  private readonly probes: WriteProbes[] = [];
  private readonly probed = new Set<string>();
  private readonly steps: StepRecord[] = [];
  private current: StepRecord | undefined;
  private workerPid = 0;
  private origin = performance.now();

  constructor(private readonly options: ObservationOptions) {
    this.observer = {
      workerStarted: (pid) => this.started(pid),
      beforeStep: (context) => this.beforeStep(context),
      afterStep: (context, log) => this.afterStep(context, log),
      beforeStatement: (sql) => {
        this.current?.statements.push({ sql, startedAt: performance.now(), finishedAt: Number.NaN, ok: false, rows: undefined });
        if (this.current && !this.current.transactional && this.sampler) this.sampler.burstUntil = performance.now() + BURST_MS;
      },
      afterStatement: async (sql, result) => {
        const statement = this.current?.statements.at(-1);
        if (statement) Object.assign(statement, { finishedAt: performance.now(), ok: result.ok, rows: result.rows });
        // Inside a transaction the statement's locks are still held: read them all, however brief.
        if (this.current?.transactional && this.client && this.sampler) this.sampler.add(await readHeldLocks(this.client, this.workerPid, this.probes.flatMap((probes) => probes.pids)));
      },
    };
  }

  private async started(pid: number): Promise<void> {
    this.workerPid = pid;
    this.origin = performance.now();
    [this.client, this.samplerClient] = await Promise.all([
      connectClient(this.options.databaseUrl, { applicationName: "soleflip-rehearsal-observer", readOnly: true }),
      connectClient(this.options.databaseUrl, { applicationName: "soleflip-rehearsal-sampler", readOnly: true }),
    ]);
    // A new backend's first catalog reads are slow (its caches are cold): read once before any step, so
    // that the first reads during a short step are as quick as the rest.
    await readHeldLocks(this.samplerClient, pid);
    this.sampler = new LockSampler(this.samplerClient, pid, this.options.config.sampleIntervalMs, () => this.probes.flatMap((probes) => probes.pids));
    this.sampler.start();
    await this.loadTables((this.options.tables ?? []).map((t) => `${t.schema}.${t.table}`));
  }

  private async loadTables(qualified: readonly string[]): Promise<void> {
    if (!this.options.load || this.options.config.load.writersPerTable === 0) return;
    const fresh = qualified.filter((name) => !this.probed.has(name));
    if (fresh.length === 0) return;
    for (const name of fresh) this.probed.add(name);
    const client = this.client;
    if (!client) return;
    // Only tables that exist now: one created later in the run has no writers yet to block.
    const existing = (await this.stepState(client, fresh)).relations;
    const tables = Object.entries(existing)
      .filter(([, state]) => state.kind === "r" || state.kind === "p")
      .map(([name]) => splitName(name));
    if (tables.length === 0) return;
    const probes = new WriteProbes(this.options.databaseUrl, tables, this.options.config.load);
    await probes.start();
    this.probes.push(probes);
    // Let the new writers reach their steady rhythm before the step begins.
    await new Promise((resolve) => setTimeout(resolve, this.options.config.load.intervalMs * 2));
  }

  /** The WAL position, every table's relfilenode, and the named relations' state, in one round trip. */
  private async stepState(client: pg.ClientBase, qualified: readonly string[]): Promise<{ wal: number; filenodes: Record<string, number>; relations: Record<string, RelationState> }> {
    const parts = qualified.map(splitName);
    const { rows } = await client.query<{
      wal_position: string;
      filenodes: Record<string, number | string>;
      relations: Array<{ schema: string; name: string; kind: string; relfilenode: number | string; bytes: number | string; owned_sequences: string[] }>;
    }>({ name: "soleflip-step-state", text: rehearsalSql("step-state"), values: [parts.map((p) => p.schema), parts.map((p) => p.table)] });
    const row = rows[0];
    return {
      wal: Number(row?.wal_position ?? 0),
      filenodes: Object.fromEntries(Object.entries(row?.filenodes ?? {}).map(([name, node]) => [name, Number(node)])),
      relations: Object.fromEntries(
        (row?.relations ?? []).map((r) => [`${r.schema}.${r.name}`, { kind: r.kind, relfilenode: Number(r.relfilenode), bytes: Number(r.bytes), ownedSequences: r.owned_sequences }]),
      ),
    };
  }

  private async beforeStep(context: StepContext): Promise<void> {
    const client = this.client;
    if (!client) return;
    await this.loadTables(context.step.tables);
    const state = await this.stepState(client, context.step.tables);
    const record: StepRecord = {
      migration: context.migration,
      operationId: context.operationId,
      operationKind: context.operationKind,
      description: context.step.description,
      sql: context.step.sql,
      predictedLock: context.step.lock,
      predictedTables: context.step.tables,
      hazards: context.step.hazards,
      transactional: context.step.transactional,
      startedAt: Number.NaN,
      finishedAt: Number.NaN,
      statements: [],
      before: state.relations,
      after: {},
      filenodesBefore: state.filenodes,
      filenodesAfter: {},
      walBefore: state.wal,
      walAfter: 0,
      status: "planned",
      rowsAffected: undefined,
    };
    this.sampler?.setActive(true);
    record.startedAt = performance.now();
    this.current = record;
    this.steps.push(record);
  }

  private async afterStep(_context: StepContext, log: StepLog): Promise<void> {
    const record = this.current;
    const client = this.client;
    if (!record || !client) return;
    record.finishedAt = performance.now();
    if (this.sampler) {
      this.sampler.burstUntil = 0;
      this.sampler.setActive(false);
    }
    record.status = log.status;
    record.rowsAffected = log.rowsAffected;
    this.current = undefined;
    const state = await this.stepState(client, record.predictedTables);
    record.walAfter = state.wal;
    record.after = state.relations;
    record.filenodesAfter = state.filenodes;
  }

  async finish(): Promise<RawObservation> {
    const samples = (await this.sampler?.stop()) ?? [];
    const writes = (await Promise.all(this.probes.map((probes) => probes.stop()))).flat();
    await this.client?.end().catch(() => undefined);
    await this.samplerClient?.end().catch(() => undefined);
    return { origin: this.origin, workerPid: this.workerPid, steps: this.steps, samples, writes, sampleReads: this.sampler?.reads ?? 0, load: this.probes.length > 0 };
  }
}
