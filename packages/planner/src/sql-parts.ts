import type { LiveSchema, LiveTable } from "@soleflip/catalog";
import { deparseNode, deparseWithRelation, quoteIdent, quoteQualified, type AlterTableCmd, type Node, type RangeVar } from "@soleflip/sql";
import type { TableRef } from "./types.ts";

/**
 * The schema an unqualified name resolves to. Prisma qualifies every name it writes; hand-written
 * migrations that do not are read the way PostgreSQL's default search_path reads them.
 */
export const UNQUALIFIED_SCHEMA = "public";

export function tableOf(range: RangeVar | undefined): TableRef {
  return range?.schemaname ? { schema: range.schemaname, table: range.relname ?? "?" } : { schema: UNQUALIFIED_SCHEMA, table: range?.relname ?? "?", implicit: true };
}

/** `schema.table` quoted for SQL, or the bare table when the original was written without a schema. */
export function quoteTable(ref: TableRef): string {
  return ref.implicit ? quoteIdent(ref.table) : quoteQualified(ref.schema, ref.table);
}

/** A name in a schema (an index, a type), qualified as the original was. */
export function quoteInSchema(schema: string, implicit: boolean | undefined, name: string): string {
  return implicit ? quoteIdent(name) : quoteQualified(schema, name);
}

/** The string values of a list of String nodes (column lists, qualified names). */
export function namesOf(list: readonly Node[] | undefined): string[] {
  return (list ?? []).map((item) => ("String" in item ? (item.String.sval ?? "") : "?"));
}

export const sameTable = (a: TableRef, b: TableRef): boolean => a.schema === b.schema && a.table === b.table;

/** Column names an expression reads (the last field of each column reference). */
export function columnsOf(node: Node | undefined): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    const ref = record["ColumnRef"] as { fields?: Node[] } | undefined;
    if (ref) {
      const last = ref.fields?.at(-1);
      if (last && "String" in last && last.String.sval) found.add(last.String.sval);
      return;
    }
    for (const inner of Object.values(record)) visit(inner);
  };
  visit(node);
  return [...found];
}

/** One ALTER TABLE subcommand (or several, in order) as a statement of its own. */
export function alterTableSql(table: TableRef, cmd: AlterTableCmd | readonly AlterTableCmd[]): string {
  const cmds = (Array.isArray(cmd) ? cmd : [cmd]).map((one) => ({ AlterTableCmd: one }));
  const statement = { AlterTableStmt: { relation: undefined as RangeVar | undefined, cmds, objtype: "OBJECT_TABLE" as const } };
  return deparseWithRelation(statement as Node, statement.AlterTableStmt, quoteTable(table)).replace(/\s*\n\s*/g, " ").trim();
}

/** An expression as SQL (one line). */
export function expressionSql(node: Node): string {
  return deparseNode(node).replace(/\s*\n\s*/g, " ").trim();
}

export function findColumn(live: LiveSchema, ref: TableRef, name: string) {
  return live.columns.find((column) => sameTable(column, ref) && column.name === name);
}

export function tableExists(live: LiveSchema, ref: TableRef): boolean {
  return live.tables.some((t) => sameTable(t, ref));
}

export function primaryKeyColumns(live: LiveSchema, ref: TableRef): string[] {
  return live.constraints.find((c) => sameTable(c, ref) && c.kind === "p")?.columns ?? [];
}

/** A text key for a row in pre-flight samples: the primary key, or the ctid when there is none. */
export function rowKeySql(live: LiveSchema, ref: TableRef, alias: string): string {
  const columns = primaryKeyColumns(live, ref);
  if (columns.length === 0) return `${alias}.ctid::text`;
  return columns.map((column) => `${alias}.${quoteIdent(column)}::text`).join(` || ',' || `);
}

export { quoteIdent };

/** The partitions of a partitioned table (one level down), as the live catalog lists them. */
export function partitionsOf(live: LiveSchema, table: { schema: string; table: string }): LiveTable[] {
  return live.tables.filter((candidate) => candidate.parent?.schema === table.schema && candidate.parent.table === table.table);
}

/**
 * The name PostgreSQL itself gives an index it creates on a partition (ChooseIndexName →
 * ChooseRelationName): `<table>_<column>_<column>_idx` (`_key` when unique, `expr` for an expression),
 * the longer part shortened first to fit 63 bytes, and a number after the label while the name is taken in
 * the schema. Matching it keeps the result identical to a plain `CREATE INDEX` on the parent, which is
 * what Prisma's introspection and the verifier's expected state see.
 */
export function partitionIndexName(partition: string, columns: readonly string[], unique: boolean, taken: ReadonlySet<string>): string {
  const label = unique ? "key" : "idx";
  const columnPart = columns.join("_");
  for (let pass = 0; ; pass++) {
    const candidate = makeObjectName(partition, columnPart, pass === 0 ? label : `${label}${pass}`);
    if (!taken.has(candidate)) return candidate;
  }
}

/** PostgreSQL's makeObjectName: name1_name2_label within NAMEDATALEN - 1 bytes, trimming the longer name first. */
function makeObjectName(name1: string, name2: string, label: string): string {
  const overhead = Buffer.byteLength(label) + 1 + (name2 ? 1 : 0);
  let first = name1;
  let second = name2;
  while (Buffer.byteLength(first) + Buffer.byteLength(second) > 63 - overhead) {
    if (Buffer.byteLength(first) > Buffer.byteLength(second)) first = first.slice(0, -1);
    else second = second.slice(0, -1);
  }
  return `${first}${second ? `_${second}` : ""}_${label}`;
}
