import type { LiveSchema } from "@soleflip/catalog";
import { quoteTable, type TableRef } from "@soleflip/planner";
import { quoteIdent, quoteQualified, type CreateStmt, type Node } from "@soleflip/sql";
import { joinSql, type OnlineKind } from "./kind.ts";

/**
 * A table renamed (a model's @@map, or the model itself): Prisma writes DROP TABLE + CREATE TABLE, losing
 * every row. Online, nothing is copied: the expand renames the table in one short transaction and leaves a
 * view of the old name in its place, which PostgreSQL updates through (INSERT … RETURNING, UPDATE, DELETE,
 * ON CONFLICT), so the old application version reads and writes what the new one does; the table's keys,
 * indexes and sequences take the names Prisma gives them under the new name. The contract, in a later run,
 * drops the view.
 *
 * Read as a rename when Prisma drops one table and creates one with the same columns of the same types.
 */
export const renameTable: OnlineKind = {
  id: "rename-table",
  plan(context) {
    // Prisma's DROP TABLE and CREATE TABLE (consecutive raw statements, one raw operation or two).
    const raw = context.operations.filter((op) => op.kind === "raw").flatMap((op) => op.statements);
    const drops = raw.filter((s) => "DropStmt" in s.node && s.node.DropStmt.removeType === "OBJECT_TABLE");
    const creates = raw.flatMap((s) => ("CreateStmt" in s.node ? [s.node.CreateStmt] : []));
    if (drops.length !== 1 || creates.length !== 1 || raw.length !== 2) return undefined;
    const from = droppedTable(drops[0]?.node);
    const create = creates[0];
    if (!from || !create) return undefined;
    const to = createdTable(create);
    if (!to || to.schema !== from.schema || !sameColumns(context.live, from, create)) return undefined;
    // The rest of Prisma's diff must be about the keys and indexes of the two tables, which the renames carry over.
    for (const operation of context.operations) {
      if (operation.kind === "raw") continue;
      if (!["ensure-index", "ensure-unique-constraint", "ensure-foreign-key", "drop-constraint", "drop-index"].includes(operation.kind)) return undefined;
    }
    const renames = namesToCarry(context.live, from, to.table);
    const view = quoteTable(from);
    const table = quoteTable(to);
    const expandFolder = context.folder("expand");
    return {
      kind: "rename-table",
      title: `${view} renamed to ${table}`,
      phases: [
        {
          name: "expand",
          summary: `renames ${view} to ${table} and leaves a view of the old name in its place in the same short transaction: both application versions read and write the same rows, nothing is copied`,
          up: [
            "BEGIN;",
            "-- migrator-ignore renaming-table: a view of the old name takes its place in this transaction, so the application's previous version keeps working",
            `ALTER TABLE ${view} RENAME TO ${quoteIdent(to.table)};`,
            ...renames.map((r) => r.sql(r.from, r.to)),
            `-- The old name, for the application's previous version: a simple view, which PostgreSQL writes through.`,
            `CREATE VIEW ${view} AS SELECT * FROM ${table};`,
            "COMMIT;",
          ].join("\n"),
          down: ["BEGIN;", `DROP VIEW ${view};`, ...renames.map((r) => r.sql(r.to, r.from)), `ALTER TABLE ${table} RENAME TO ${quoteIdent(from.table)};`, "COMMIT;"].join("\n"),
        },
        {
          name: "contract",
          summary: `drops the view ${view} once no running version of the application uses the old name; a run after the expand's`,
          up: joinSql(`-- migrator:contract-of ${expandFolder}\nDROP VIEW IF EXISTS ${view};`),
          down: `CREATE VIEW ${view} AS SELECT * FROM ${table};`,
        },
      ],
    };
  },
};

interface CarriedName {
  from: string;
  to: string;
  sql(from: string, to: string): string;
}

/**
 * What Prisma names after the table (`<table>_pkey`, `<table>_<columns>_key`, `_idx`, `_fkey`, the
 * sequences `<table>_<column>_seq`), renamed with it so that Prisma finds the names it would give.
 */
function namesToCarry(live: LiveSchema, from: TableRef, to: string): CarriedName[] {
  const onTable = (entry: { schema: string; table: string }) => entry.schema === from.schema && entry.table === from.table;
  const renamed = (name: string) => (name.startsWith(`${from.table}_`) ? `${to}${name.slice(from.table.length)}` : undefined);
  const table = quoteTable({ ...from, table: to });
  const carried: CarriedName[] = [];
  for (const constraint of [...live.constraints.filter(onTable), ...live.foreignKeys.filter(onTable)]) {
    const next = renamed(constraint.name);
    if (next) carried.push({ from: constraint.name, to: next, sql: (a, b) => `ALTER TABLE ${table} RENAME CONSTRAINT ${quoteIdent(a)} TO ${quoteIdent(b)};` });
  }
  for (const index of live.indexes.filter((i) => onTable(i) && !i.backsConstraint)) {
    const next = renamed(index.name);
    if (next) carried.push({ from: index.name, to: next, sql: (a, b) => `ALTER INDEX ${quoteQualified(index.schema, a)} RENAME TO ${quoteIdent(b)};` });
  }
  for (const column of live.columns.filter(onTable)) {
    const sequence = column.sequence;
    const next = sequence ? renamed(sequence.name) : undefined;
    if (sequence && next) carried.push({ from: sequence.name, to: next, sql: (a, b) => `ALTER SEQUENCE ${quoteQualified(sequence.schema, a)} RENAME TO ${quoteIdent(b)};` });
  }
  return carried;
}

function droppedTable(node: Node | undefined): TableRef | undefined {
  if (!node || !("DropStmt" in node)) return undefined;
  const objects = node.DropStmt.objects ?? [];
  const names = objects.length === 1 && objects[0] && "List" in objects[0] ? (objects[0].List.items ?? []).map((item) => ("String" in item ? (item.String.sval ?? "") : "")) : [];
  if (names.length === 1) return { schema: "public", table: names[0] ?? "", implicit: true };
  if (names.length === 2) return { schema: names[0] ?? "", table: names[1] ?? "" };
  return undefined;
}

function createdTable(create: CreateStmt): TableRef | undefined {
  const relation = create.relation;
  if (!relation?.relname) return undefined;
  return relation.schemaname ? { schema: relation.schemaname, table: relation.relname } : { schema: "public", table: relation.relname, implicit: true };
}

/** The created table has exactly the dropped one's column names (types are Prisma's: a rename keeps them). */
function sameColumns(live: LiveSchema, from: TableRef, create: CreateStmt): boolean {
  const created = (create.tableElts ?? []).flatMap((element) => ("ColumnDef" in element && element.ColumnDef.colname ? [element.ColumnDef.colname] : [])).sort();
  const existing = live.columns.filter((c) => c.schema === from.schema && c.table === from.table).map((c) => c.name).sort();
  return created.length > 0 && created.length === existing.length && created.every((name, i) => name === existing[i]);
}
