import type { LiveColumn, LiveSchema } from "@soleflip/catalog";
import { recogniseOperations, renderOnlineSafeSql, type Operation, type TableRef } from "@soleflip/planner";
import type { DataModelModel } from "@soleflip/schema-engine";
import { parseStatementsSync, quoteIdent } from "@soleflip/sql";

/**
 * An online form of a change Prisma can only write as a drop and an add, or as a rewrite: its phases are
 * ordinary migrations (plain SQL that `prisma migrate deploy` also runs), each with its down.sql.
 * - expand: what the new application version needs, beside what the old one uses, kept in step by a
 *   trigger and filled by a batched backfill; both versions run against it;
 * - switch (some kinds): one short transaction that puts the new form in the old one's place;
 * - contract: drops what only the old version used, behind a gate, in a run after the expand's.
 */
export type PhaseName = "expand" | "switch" | "contract";

export interface Phase {
  name: PhaseName;
  /** What the phase does, one sentence (the file's header). */
  summary: string;
  up: string;
  down: string;
}

export interface OnlinePlan {
  kind: string;
  /** What the change is, e.g. `"Order".note renamed to remark`. */
  title: string;
  phases: Phase[];
}

export interface OnlineContext {
  /** Prisma's diff, read into operations. */
  operations: readonly Operation[];
  /** The history's structure before the change. */
  live: LiveSchema;
  /** The schema's models (DMMF): which field maps to which column. */
  models: readonly DataModelModel[];
  /** The folder each phase will be written to (a contract names its expand). */
  folder: (phase: PhaseName) => string;
  serverVersionNum: number;
}

/** One kind of online change: claims the whole of Prisma's diff, or leaves it (undefined). */
export interface OnlineKind {
  id: string;
  plan(context: OnlineContext): OnlinePlan | undefined;
}

/** Whether an index's key (as pg_get_indexdef prints it: quoted where needed) is this column. */
export function indexKeyIs(key: string | undefined, column: string): boolean {
  return key === column || key === quoteIdent(column);
}

/** The live columns of a table. */
export function columnOf(live: LiveSchema, table: TableRef, column: string): LiveColumn | undefined {
  return live.columns.find((c) => c.schema === table.schema && c.table === table.table && c.name === column);
}

/**
 * Statements rendered the way `create` writes Prisma's (NOT NULL through a validated CHECK, foreign keys NOT
 * VALID then VALIDATE, indexes CONCURRENTLY), planned against the structure plus columns the phase adds.
 */
export function renderPlanned(sql: string, live: LiveSchema, added: readonly LiveColumn[], serverVersionNum: number): string {
  if (!sql.trim()) return "";
  const { operations } = recogniseOperations(parseStatementsSync(sql), "online form");
  return renderOnlineSafeSql(operations, { live: { ...live, columns: [...live.columns, ...added] }, serverVersionNum }).sql;
}

/** A column the phase adds, as the live structure would show it once added (nullable, no default). */
export function addedColumn(table: TableRef, name: string, type: string): LiveColumn {
  return { schema: table.schema, table: table.table, name, position: 0, type, notNull: false, invalidNotNull: null, default: null, sequence: null };
}

export const joinSql = (...parts: Array<string | undefined | false>) => parts.filter((part): part is string => typeof part === "string" && part.trim() !== "").join("\n\n");

/** The columns a raw operation of Prisma's drops (ALTER TABLE … DROP COLUMN, and nothing else); none for others. */
export function droppedColumns(operation: Operation): Array<{ table: TableRef; column: string }> {
  if (operation.kind !== "raw") return [];
  const found: Array<{ table: TableRef; column: string }> = [];
  for (const statement of operation.statements) {
    const node = statement.node;
    if (!("AlterTableStmt" in node)) return [];
    const relation = node.AlterTableStmt.relation;
    const table: TableRef = relation?.schemaname ? { schema: relation.schemaname, table: relation.relname ?? "" } : { schema: "public", table: relation?.relname ?? "", implicit: true };
    for (const cmd of node.AlterTableStmt.cmds ?? []) {
      if (!("AlterTableCmd" in cmd) || cmd.AlterTableCmd.subtype !== "AT_DropColumn" || !cmd.AlterTableCmd.name) return [];
      found.push({ table, column: cmd.AlterTableCmd.name });
    }
  }
  return found;
}
