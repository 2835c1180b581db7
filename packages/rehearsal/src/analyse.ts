import { blocksWrites, lockStrength, type Hazard, type LockMode } from "@soleflip/planner";
import type { LockSample } from "./lock-sampler.ts";
import type { RawObservation, StepRecord } from "./observe.ts";
import type { WriteAttempt } from "./write-probes.ts";

/** A lock the migration's backend was seen holding during one step (times from the start of the run). */
export interface ObservedLock {
  relation: string;
  mode: LockMode;
  fromMs: number;
  toMs: number;
}

/** One step as it ran: what the plan predicted next to what was observed. */
export interface ObservedStep {
  index: number;
  migration: string;
  operationId: string;
  description: string;
  sql: string[];
  hazards: Hazard[];
  predicted: { lock: LockMode; tables: string[] };
  /** The strongest lock seen per relation (tables and sequences), with how long it was held. */
  locks: ObservedLock[];
  /** Locks the step queued for before it got them. */
  waited: Array<{ relation: string; mode: LockMode; ms: number }>;
  writesBlocked: { count: number; longestMs: number; tables: string[] };
  rewrites: string[];
  walBytes: number;
  sizeDeltaBytes: number;
  startMs: number;
  durationMs: number;
  rows: number | undefined;
  status: StepRecord["status"];
  /** Where the observation disagrees with the plan. */
  mismatches: string[];
}

export interface ObservationSummary {
  steps: ObservedStep[];
  /** When synthetic writes were waiting for a lock, per table (overlapping waits merged), ms from the start. */
  writeWaits: Array<{ table: string; fromMs: number; toMs: number }>;
  load: { enabled: boolean; writes: number; failedWrites: number; blockedWrites: number; typicalMs: number };
  sampler: { reads: number };
}

/** Relations the runner itself writes (its history and journal): not the migration's doing. */
const BOOKKEEPING = new Set(["public._prisma_migrations", "public._soleflip_migrator_journal"]);
const SHOWN_KINDS = new Set(["r", "p", "S"]);

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Turns what the observer recorded into per-step findings. Pure: the same recording gives the same result. */
export function analyseObservation(raw: RawObservation): ObservationSummary {
  const durations = raw.writes.filter((w) => !w.error).map((w) => w.finishedAt - w.startedAt).sort((a, b) => a - b);
  const typical = durations.length > 0 ? (durations[Math.floor(durations.length / 2)] ?? 0) : 0;
  // A write was blocked when the sampler saw its writer waiting for a lock while it ran: slowness from a
  // busy CPU is not a lock wait.
  const waits = raw.samples.filter((s) => s.pid !== raw.workerPid && !s.granted);
  const blocked = raw.writes.filter((w) => waits.some((s) => s.pid === w.pid && s.at >= w.startedAt && s.at <= w.finishedAt));
  const owner = attributeWrites(raw.steps, blocked);
  const steps = raw.steps.map((record, index) => observeStep(record, index, raw, owner.get(record) ?? []));
  return {
    steps,
    writeWaits: mergeWaits(blocked, raw.origin),
    load: { enabled: raw.load, writes: raw.writes.length, failedWrites: raw.writes.filter((w) => w.error).length, blockedWrites: blocked.length, typicalMs: round(typical) },
    sampler: { reads: raw.sampleReads },
  };
}

function mergeWaits(blocked: readonly WriteAttempt[], origin: number): ObservationSummary["writeWaits"] {
  const merged: ObservationSummary["writeWaits"] = [];
  const sorted = [...blocked].sort((a, b) => a.table.localeCompare(b.table) || a.startedAt - b.startedAt);
  for (const write of sorted) {
    const last = merged.at(-1);
    const from = round(write.startedAt - origin);
    const to = round(write.finishedAt - origin);
    if (last && last.table === write.table && from <= last.toMs) last.toMs = Math.max(last.toMs, to);
    else merged.push({ table: write.table, fromMs: from, toMs: to });
  }
  return merged;
}

/** Each blocked write goes to the step it overlapped most. */
function attributeWrites(steps: readonly StepRecord[], blocked: readonly WriteAttempt[]): Map<StepRecord, WriteAttempt[]> {
  const owner = new Map<StepRecord, WriteAttempt[]>();
  for (const write of blocked) {
    let best: StepRecord | undefined;
    let bestOverlap = 0;
    for (const step of steps) {
      const overlap = Math.min(write.finishedAt, step.finishedAt) - Math.max(write.startedAt, step.startedAt);
      if (overlap > bestOverlap) {
        best = step;
        bestOverlap = overlap;
      }
    }
    if (best) owner.set(best, [...(owner.get(best) ?? []), write]);
  }
  return owner;
}

function observeStep(record: StepRecord, index: number, raw: RawObservation, blocked: readonly WriteAttempt[]): ObservedStep {
  const within = raw.samples.filter((s) => s.pid === raw.workerPid && s.at >= record.startedAt && s.at <= record.finishedAt && SHOWN_KINDS.has(s.kind) && !BOOKKEEPING.has(s.relation));
  const locks = strongestPerRelation(within.filter((s) => s.granted), record, raw.origin, within.filter((s) => !s.granted));
  const waited = strongestPerRelation(within.filter((s) => !s.granted), record, raw.origin).map((lock) => ({ relation: lock.relation, mode: lock.mode, ms: round(lock.toMs - lock.fromMs) }));
  const mismatches: string[] = [];
  // A sequence a listed table owns goes with it (DROP TABLE drops it too): its lock is the table's.
  const ownerOf = new Map(Object.entries(record.before).flatMap(([table, state]) => state.ownedSequences.map((sequence) => [sequence, table] as const)));
  for (const lock of locks) {
    const owner = ownerOf.get(lock.relation);
    if (owner && record.predictedTables.includes(owner) && lockStrength(lock.mode) <= lockStrength(record.predictedLock)) continue;
    const predictedHere = record.predictedTables.includes(lock.relation);
    if (predictedHere && lockStrength(lock.mode) > lockStrength(record.predictedLock)) {
      mismatches.push(`held ${lock.mode} on ${lock.relation}; the plan predicted ${record.predictedLock}`);
    } else if (!predictedHere && blocksWrites(lock.mode)) {
      mismatches.push(`held ${lock.mode} on ${lock.relation}, which the plan does not list`);
    }
  }
  // Tables and materialized views only (ALTER SEQUENCE gives a sequence a new one-page relfilenode too),
  // named by the plan or not.
  const rewrites = Object.entries(record.filenodesBefore)
    .filter(([name, before]) => before !== 0 && !BOOKKEEPING.has(name) && record.filenodesAfter[name] !== undefined && record.filenodesAfter[name] !== before)
    .map(([name]) => name)
    .sort();
  const names = new Set([...Object.keys(record.before), ...Object.keys(record.after)]);
  const sizeDeltaBytes = [...names].reduce((sum, name) => sum + (record.after[name]?.bytes ?? 0) - (record.before[name]?.bytes ?? 0), 0);
  const waits = blocked.map((w) => w.finishedAt - w.startedAt);
  return {
    index,
    migration: record.migration,
    operationId: record.operationId,
    description: record.description,
    sql: record.sql,
    hazards: record.hazards,
    predicted: { lock: record.predictedLock, tables: record.predictedTables },
    locks,
    waited,
    writesBlocked: { count: blocked.length, longestMs: round(Math.max(0, ...waits)), tables: [...new Set(blocked.map((w) => w.table))].sort() },
    rewrites,
    walBytes: Math.max(0, record.walAfter - record.walBefore),
    sizeDeltaBytes,
    startMs: round(record.startedAt - raw.origin),
    durationMs: round(record.finishedAt - record.startedAt),
    rows: record.rowsAffected,
    status: record.status,
    mismatches,
  };
}

/**
 * The strongest mode seen per relation, from its first sighting to its last; in a transactional step
 * every lock is held until the step's COMMIT, so it ends there.
 */
function strongestPerRelation(samples: readonly LockSample[], record: StepRecord, origin: number, waits: readonly LockSample[] = []): ObservedLock[] {
  const byRelation = new Map<string, { mode: LockMode; from: number; to: number }>();
  for (const sample of samples) {
    const seen = byRelation.get(sample.relation);
    if (!seen) byRelation.set(sample.relation, { mode: sample.mode, from: sample.at, to: sample.at });
    else {
      if (lockStrength(sample.mode) > lockStrength(seen.mode)) seen.mode = sample.mode;
      seen.from = Math.min(seen.from, sample.at);
      seen.to = Math.max(seen.to, sample.at);
    }
  }
  return [...byRelation.entries()]
    .map(([relation, seen]) => {
      // The statement that took it: the last one to start before the first sighting. Its lock dates from
      // that start, unless the sampler saw it queue first.
      const statement = record.statements.filter((s) => s.startedAt <= seen.from).at(-1);
      const queuedUntil = Math.max(-Infinity, ...waits.filter((w) => w.relation === relation).map((w) => w.at));
      const from = statement ? Math.max(statement.startedAt, queuedUntil) : seen.from;
      const to = record.transactional && samples.some((s) => s.granted) ? record.finishedAt : seen.to;
      return { relation, mode: seen.mode, fromMs: round(from - origin), toMs: round(to - origin) };
    })
    .sort((a, b) => a.relation.localeCompare(b.relation));
}
