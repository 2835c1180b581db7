import type { BlockingSession, SnapshotDifference } from "@soleflip/catalog";
import type { GuardPolicyEntry } from "./session-policy.ts";
import type { Hazard, LockMode, OperationStatus, PreflightResult } from "@soleflip/planner";

/** What happened to one step; the verifier's report reads these from the apply log. */
export interface StepLog {
  description: string;
  sql: string[];
  lock: LockMode;
  tables: string[];
  hazards: Hazard[];
  status: "applied" | "failed" | "skipped" | "planned";
  durationMs?: number;
  lockWaitMs?: number;
  retries?: number;
  rowsAffected?: number;
  /** Keyset batches of a declared repair. */
  batches?: number;
  /** The longest batch (about the longest its row locks were held, so the longest an application write waited on it). */
  longestBatchMs?: number;
  /** Batches an application session was found waiting on just before they committed; the batches were shortened after each. */
  waitedOnBatches?: number;
  /** The batches' time target at the end of the step, when it was lowered for the application's waits. */
  finalBatchTargetMs?: number;
  /** The lock the step waited for and who held it (the last wait seen). */
  lockWait?: { wanted: string; blockers: BlockingSession[] };
  error?: string;
}

export type OperationOutcome = "applied" | "already-present" | "repaired" | "skipped" | "failed" | "planned";

/** What an operation is about, as structured data (names may contain any character). */
export interface OperationSubject {
  schema?: string;
  table?: string;
  /** A constraint's or an index's name. */
  name?: string;
  column?: string;
}

export interface OperationLog {
  operationId: string;
  kind: string;
  subject: OperationSubject;
  /** What the live database had before this run touched it. */
  found: string;
  plannedAs: OperationStatus;
  outcome: OperationOutcome;
  steps: StepLog[];
}

export interface MigrationLog {
  name: string;
  checksum: string;
  status: "applied" | "adopted" | "already-applied" | "pending" | "failed" | "resumed";
  operations: OperationLog[];
  durationMs?: number;
}

export type RunOutcome = "up-to-date" | "applied" | "dry-run" | "preflight-failed" | "structure-differs" | "failed" | "interrupted" | "refused";

export interface RunLog {
  tool: "soleflip-migrator";
  version: 1;
  database: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  dryRun: boolean;
  outcome: RunOutcome;
  adoptedBaseline: string | null;
  migrations: MigrationLog[];
  preflight: PreflightResult[];
  structuralDifferences: SnapshotDifference[];
  invalidIndexesRebuilt: string[];
  settings: { lockTimeoutMs: number; maxRetries: number };
  /** What the runner does with each of the server's session guards, and why (session-policy.ts). */
  sessionPolicy?: GuardPolicyEntry[];
  /** server_version_num of the database. */
  serverVersionNum?: number;
  /** Why a step failed (outcome "failed"), with a stable code and a fix. */
  failure?: { code: string; summary: string; fix: string; migration: string; step: string };
  /** What the runner noticed in the files and did not refuse (e.g. two pending migrations with one timestamp). */
  notices?: Array<{ code: string; summary: string }>;
  /** Where the runner waited for the server to be less busy (--max-load), and for how long. */
  loadPauses?: Array<{ reason: string; waitedMs: number }>;
  /** Contracts (and what follows them) left for a later run: their expand finished in this run, or not yet. */
  waiting?: Array<{ migration: string; expand: string; reason: string }>;
  /** Why the run refused to touch the database (outcome "refused"). */
  refusal?: { code: string; summary: string; fix: string };
}
