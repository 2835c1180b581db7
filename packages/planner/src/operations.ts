import type { ReferentialAction } from "@soleflip/catalog";
import type { Node, ParsedStatement, UpdateStmt } from "@soleflip/sql";
import type { Hazard, TableRef } from "./types.ts";

interface OperationBase {
  /** Stable within a migration: `<kind>:<subject>`. */
  id: string;
  /** Statements of the migration file this operation came from (directives are read from them). */
  statements: ParsedStatement[];
}

export interface SessionSetting extends OperationBase {
  kind: "session-setting";
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
  /** The UPDATE's parse tree, to derive its keyset-batched form at planning time. */
  update: UpdateStmt;
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
  /** False when the migration adds the key NOT VALID and never validates it. */
  validated: boolean;
  /** The migration drops a constraint of this name first (Prisma's drop-and-add). */
  replacesSameName: boolean;
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

export interface EnsureCheck extends OperationBase {
  kind: "ensure-check";
  table: TableRef;
  name: string;
  /** The CHECK expression as written (deparsed from its parse tree). */
  expressionSql: string;
  /** The expression's key (equivalence.ts), to find it among live constraints by definition. */
  expressionKey: string;
  /** Columns the expression reads. */
  columns: string[];
  validated: boolean;
}

export interface EnsureUniqueConstraint extends OperationBase {
  kind: "ensure-unique-constraint";
  table: TableRef;
  name: string;
  primary: boolean;
  columns: string[];
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
  /** Plain column names the index reads (expressions' columns included). */
  columns: string[];
  predicateSql: string | null;
  /** The statement as written, made concurrent and idempotent. */
  createSql: string;
}

export interface DropIndex extends OperationBase {
  kind: "drop-index";
  schema: string;
  /** Written without a schema. */
  implicitSchema: boolean;
  name: string;
  /** CASCADE cannot run concurrently: such a drop runs as written. */
  cascade: boolean;
}

export interface RenameIndex extends OperationBase {
  kind: "rename-index";
  schema: string;
  /** Written without a schema. */
  implicitSchema: boolean;
  from: string;
  to: string;
}

export interface AddColumn extends OperationBase {
  kind: "add-column";
  table: TableRef;
  column: string;
  /** The type as written, and as format_type prints it (when it is a built-in type). */
  typeSql: string;
  formattedType: string | undefined;
  notNull: boolean;
  defaultSql: string | null;
  /** serial, identity or generated: every existing row gets a value without a default. */
  hasGeneratedValue: boolean;
  /** A default that PostgreSQL must evaluate per row (volatile function, serial, identity, stored generated). */
  rewritesTable: boolean;
  /** The ALTER TABLE … ADD COLUMN statement, alone. */
  sql: string;
}

export interface ColumnTypeChange {
  column: string;
  /** The target type as written and as PostgreSQL's format_type prints it (when known). */
  typeSql: string;
  formattedType: string | undefined;
  usingSql: string | null;
  /**
   * Set when the type was written as a serial pseudo-type (Prisma writes `SET DATA TYPE BIGSERIAL` for
   * an autoincrement Int that becomes BigInt, which PostgreSQL rejects): the column gets the integer type
   * and the sequence it owns is made to count in it.
   */
  sequenceType?: string;
}

export interface AlterColumnType extends OperationBase {
  kind: "alter-column-type";
  table: TableRef;
  /** One or more columns changed by one ALTER TABLE (with the key constraints it drops and re-adds around them). */
  changes: ColumnTypeChange[];
  sql: string;
}

export interface ReplaceEnum extends OperationBase {
  kind: "replace-enum";
  schema: string;
  name: string;
  labels: string[];
  /** Columns converted to the new type. */
  columns: Array<TableRef & { column: string }>;
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

export interface Raw extends OperationBase {
  kind: "raw";
  /** False when a statement refuses to run inside a transaction block. */
  transactional: boolean;
  hazards: Hazard[];
  tables: TableRef[];
}

export type Operation =
  | SessionSetting
  | Repair
  | EnsureForeignKey
  | EnsureNotNull
  | EnsureNullable
  | EnsureCheck
  | EnsureUniqueConstraint
  | EnsureIndex
  | DropIndex
  | RenameIndex
  | AddColumn
  | AlterColumnType
  | ReplaceEnum
  | ValidateConstraint
  | DropConstraint
  | Raw;

export type OperationKind = Operation["kind"];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

export function tableName(ref: TableRef): string {
  return `${ref.schema}.${ref.table}`;
}
