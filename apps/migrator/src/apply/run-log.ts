import type { SnapshotDifference } from "@soleflip/catalog";
import type { Hazard, LockMode } from "../plan/operations.ts";
import type { OperationStatus } from "../plan/plan-operation.ts";
import type { PreflightResult } from "../preflight/preflight.ts";

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
  error?: string;
}

export type OperationOutcome = "applied" | "already-present" | "repaired" | "skipped" | "failed" | "planned";

export interface OperationLog {
  operationId: string;
  kind: string;
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

export type RunOutcome = "up-to-date" | "applied" | "dry-run" | "preflight-failed" | "structure-differs" | "failed";

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
  error?: { code: string; summary: string; fix: string };
}
