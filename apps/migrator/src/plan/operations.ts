import type { ReferentialAction } from "@soleflip/catalog";
import type { Node, ParsedStatement } from "@soleflip/sql";

/** A table named by schema and name. */
export interface TableRef {
  schema: string;
  table: string;
}

/**
 * The lock a statement takes on its table, weakest to strongest among those we issue. What it blocks:
 * SHARE UPDATE EXCLUSIVE blocks neither reads nor writes; SHARE and SHARE ROW EXCLUSIVE block writes;
 * ACCESS EXCLUSIVE blocks everything.
 */
export type LockMode = "NONE" | "ROW EXCLUSIVE" | "SHARE UPDATE EXCLUSIVE" | "SHARE" | "SHARE ROW EXCLUSIVE" | "ACCESS EXCLUSIVE";

/** Hazards from a closed set, as pg-schema-diff names them. */
export const HAZARDS = {
  ACQUIRES_ACCESS_EXCLUSIVE_LOCK: "takes an ACCESS EXCLUSIVE lock (blocks reads and writes while held)",
  BLOCKS_WRITES: "blocks writes to the table while it runs",
  INDEX_BUILD: "builds an index (CPU and I/O proportional to the table)",
  VALIDATES_CONSTRAINT: "scans the table to validate a constraint (does not block writes)",
  BACKFILLS_DATA: "changes existing rows (a declared data repair)",
  DELETES_DATA: "drops data (a table or a column)",
  REWRITES_TABLE: "rewrites the whole table under an ACCESS EXCLUSIVE lock",
  NON_TRANSACTIONAL: "runs outside a transaction; an interruption leaves work to resume",
} as const;

export type Hazard = keyof typeof HAZARDS;

/** Hazards that stop a run unless the migration acknowledges them (`-- migrator:allow-hazard`). */
export const HAZARDS_NEEDING_ACKNOWLEDGEMENT: ReadonlySet<Hazard> = new Set(["DELETES_DATA", "REWRITES_TABLE"]);

interface OperationBase {
  /** Stable within a migration: `<kind>:<subject>`. */
  id: string;
  /** Statements of the migration file this operation came from. */
  statements: ParsedStatement[];
}

export interface EnsureForeignKey extends OperationBase {
  kind: "ensure-foreign-key";
  table: TableRef;
  name: string;
  columns: string[];
  ref: TableRef;
  /** Empty: the referenced table's primary key. */
  refColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
  /** False when the migration adds the key NOT VALID and never validates it (as the pre-fix baseline does). */
  validated: boolean;
}

export interface EnsureNotNull extends OperationBase {
  kind: "ensure-not-null";
  table: TableRef;
  column: string;
}

export interface EnsureNullable extends OperationBase {
  kind: "ensure-nullable";
  table: TableRef;
  column: string;
}

export interface EnsureIndex extends OperationBase {
  kind: "ensure-index";
  table: TableRef;
  name: string;
  unique: boolean;
  /** The CREATE INDEX statement's parse tree, to compare with the live index by definition. */
  node: Node;
  /** The index's column list and predicate as written, for messages and pre-flight queries. */
  columnsSql: string[];
  predicateSql: string | null;
  /** The statement as written, made concurrent and idempotent. */
  createSql: string;
}

export interface ValidateConstraint extends OperationBase {
  kind: "validate-constraint";
  table: TableRef;
  name: string;
}

export interface DropConstraint extends OperationBase {
  kind: "drop-constraint";
  table: TableRef;
  name: string;
}

export interface Repair extends OperationBase {
  kind: "repair";
  repairId: string;
  why: string;
  table: TableRef;
  /** Columns the UPDATE assigns. */
  setsColumns: string[];
  sql: string;
  /** Selects the ctid of every row the repair changes, without changing anything. */
  affectedRowsSql: string;
}

export interface Raw extends OperationBase {
  kind: "raw";
  /** False when a statement refuses to run inside a transaction block. */
  transactional: boolean;
  hazards: Hazard[];
  tables: TableRef[];
}

export interface SessionSetting extends OperationBase {
  kind: "session-setting";
}

export type Operation =
  | EnsureForeignKey
  | EnsureNotNull
  | EnsureNullable
  | EnsureIndex
  | ValidateConstraint
  | DropConstraint
  | Repair
  | Raw
  | SessionSetting;

export function tableName(ref: TableRef): string {
  return `${ref.schema}.${ref.table}`;
}

/** `schema."table"` quoted for SQL. */
export function quoteTable(ref: TableRef): string {
  return `${quoteIdent(ref.schema)}.${quoteIdent(ref.table)}`;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Reserved words that cannot be bare identifiers (enough for our schemas; quoting more is harmless). */
const RESERVED = new Set([
  "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
  "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
  "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
  "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
  "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order",
  "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric", "system_user",
  "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
  "window", "with",
]);
