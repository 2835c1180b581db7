import type { LiveSchema, SnapshotRow } from "@soleflip/catalog";
import type { Node, ParsedStatement } from "@soleflip/sql";
import type pg from "pg";
import type { Operation, OperationKind, OperationOf } from "./operations.ts";
import type { Fragments } from "./fragments.ts";

/** A table named by schema and name. */
export interface TableRef {
  schema: string;
  table: string;
  /**
   * Written without a schema (Prisma does so for the default schema): the SQL the toolkit writes keeps
   * it unqualified, so the connection's search_path decides as it did for the original statement.
   */
  implicit?: boolean;
}

/**
 * PostgreSQL's table lock modes, weakest to strongest. SHARE UPDATE EXCLUSIVE and weaker let reads and
 * writes continue; SHARE and stronger block writes; ACCESS EXCLUSIVE blocks reads too.
 */
export const LOCK_MODES = [
  "NONE",
  "ACCESS SHARE",
  "ROW SHARE",
  "ROW EXCLUSIVE",
  "SHARE UPDATE EXCLUSIVE",
  "SHARE",
  "SHARE ROW EXCLUSIVE",
  "EXCLUSIVE",
  "ACCESS EXCLUSIVE",
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

export const lockStrength = (mode: LockMode): number => LOCK_MODES.indexOf(mode);
export const strongestLock = (modes: readonly LockMode[]): LockMode => modes.reduce<LockMode>((a, b) => (lockStrength(b) > lockStrength(a) ? b : a), "NONE");
/** Whether a lock of this mode makes INSERT/UPDATE/DELETE on the table wait. */
export const blocksWrites = (mode: LockMode): boolean => lockStrength(mode) >= lockStrength("SHARE");

/** Hazards from a closed set, as pg-schema-diff names them. */
export const HAZARDS = {
  ACQUIRES_ACCESS_EXCLUSIVE_LOCK: "takes an ACCESS EXCLUSIVE lock (blocks reads and writes while held)",
  BLOCKS_WRITES: "blocks writes to the table while it runs",
  INDEX_BUILD: "builds an index (CPU and I/O proportional to the table)",
  INDEX_DROPPED: "drops an index (queries that used it get slower)",
  VALIDATES_CONSTRAINT: "scans the table to validate a constraint (does not block writes)",
  BACKFILLS_DATA: "changes existing rows",
  DELETES_DATA: "drops data (a table, a column, rows or enum values)",
  REWRITES_TABLE: "rewrites the whole table under an ACCESS EXCLUSIVE lock (reads and writes wait for the whole rewrite)",
  FAILS_ON_EXISTING_ROWS: "cannot apply while the table has rows that do not fit",
  NON_TRANSACTIONAL: "runs outside a transaction; an interruption leaves work to resume",
} as const;

export type Hazard = keyof typeof HAZARDS;

/** Hazards that stop a run unless the migration acknowledges them (`-- migrator:allow-hazard`). */
export const HAZARDS_NEEDING_ACKNOWLEDGEMENT: ReadonlySet<Hazard> = new Set(["DELETES_DATA", "REWRITES_TABLE"]);

/** One unit of execution: statements run together (in one transaction when `transactional`). */
export interface Step {
  description: string;
  sql: string[];
  transactional: boolean;
  /** The strongest lock the step takes on its first table. */
  lock: LockMode;
  /** Tables whose locks the step takes; the first is the one `lock` applies to. */
  tables: string[];
  /**
   * The lock stays on the named tables (`CREATE INDEX … ON ONLY`, `ALTER INDEX … ATTACH PARTITION`). Otherwise
   * a step on a partitioned table locks its partitions too, and the planner lists them.
   */
  onlyNamedTables?: boolean;
  hazards: Hazard[];
  /** Long steps report progress: an index build (pg_stat_progress_create_index) or a scan. */
  progress?: { kind: "index-build"; index: string } | { kind: "validation"; table: string };
  /** Work that reports rows changed (repairs). */
  reportsRows?: boolean;
  /** A repair run in keyset batches by primary key (see runner's batched executor). */
  batched?: BatchedUpdate;
}

/**
 * An UPDATE split into keyset batches by a single-column primary key. `boundsSql` ($1: the last key
 * done, NULL at first; $2: batch size) returns the next batch's upper key and its row count; `sql`
 * is the UPDATE restricted to `($1 IS NULL OR key > $1) AND key <= $2`.
 */
export interface BatchedUpdate {
  table: TableRef;
  keyColumn: string;
  keyType: string;
  sql: string;
  boundsSql: string;
  /** ($1: the last key done, or NULL) how many rows are left to visit: progress and ETA. */
  countSql: string;
}

export type OperationStatus = "present" | "partial" | "absent" | "repair" | "raw" | "ignored";

export interface PlannedOperation {
  operation: Operation;
  status: OperationStatus;
  /** What was found, in words, e.g. "exists as stock_product_id_fkey with ON DELETE NO ACTION". */
  found: string;
  /** Set when the plan rebuilds an index an interrupted concurrent build left INVALID. */
  rebuildsInvalidIndex?: true;
  steps: Step[];
}

/** What planning may look at: the live structure, and the server's version (version-aware plans). */
export interface PlanContext {
  live: LiveSchema;
  /** server_version_num, e.g. 180004; plans choose forms the server supports. */
  serverVersionNum: number;
}

type Queryable = Pick<pg.ClientBase, "query">;

export type PreflightCheck =
  | "orphans"
  | "nulls"
  | "duplicates"
  | "violations"
  | "rows-present"
  | "does-not-fit"
  | "enum-values-in-use"
  | "data-loss"
  | "hazard";

export interface PreflightResult {
  id: string;
  migration: string;
  operationId: string;
  check: PreflightCheck;
  table: string;
  columns: string[];
  count: number;
  sampleKeys: string[];
  passed: boolean;
  message: string;
  /** The read-only query that produced the count, ready to paste into psql ("" for hazards). */
  sql: string;
}

/** Columns a pending migration adds: their checks reason from the definition, the column cannot be read yet. */
export interface AddedColumn {
  table: TableRef;
  column: string;
  notNull: boolean;
  /** The default expression as written, or null. */
  defaultSql: string | null;
}

export interface PreflightContext {
  /** A connection inside a REPEATABLE READ READ ONLY transaction. */
  client: Queryable;
  live: LiveSchema;
  migration: string;
  /** Every pending operation, in order (declared repairs and added columns matter to other checks). */
  pending: readonly Operation[];
  addedColumns: readonly AddedColumn[];
  serverVersionNum: number;
}

/** A snapshot row (kind + qualified name) an operation owns during adoption. */
export type ManagedObject = Pick<SnapshotRow, "kind" | "name">;

/**
 * Everything about one kind of operation, in one module: how it is recognised in a migration's SQL,
 * planned against the live catalog, checked before any change, treated during adoption, and what to
 * tell an author whose change is hazardous.
 */
export interface OperationModule<K extends OperationKind> {
  kind: K;
  /** One line for the docs and the report. */
  summary: string;
  /** Claims the fragments of a migration that form operations of this kind. */
  recognise(fragments: Fragments): void;
  plan(operation: OperationOf<K>, context: PlanContext): PlannedOperation;
  /** Read-only checks of the data before the first change; [] when there is nothing to check. */
  preflight(operation: OperationOf<K>, context: PreflightContext): Promise<PreflightResult[]>;
  /** Objects this operation decides by definition, which adoption must not compare with the baseline. */
  managedObjects(operation: OperationOf<K>, structures: readonly LiveSchema[]): ManagedObject[];
  /** The online alternative to offer when a hazard needs acknowledgement. */
  alternative(operation: OperationOf<K>): string | undefined;
}

export type { Node, ParsedStatement };
