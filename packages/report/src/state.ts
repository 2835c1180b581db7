import { readLiveSchema, REFERENTIAL_ACTION_NAMES, type LiveForeignKey } from "@soleflip/catalog";
import { quoteLiteral, quoteQualified } from "@soleflip/sql";
import type pg from "pg";

export interface ForeignKeyState {
  name: string;
  table: string;
  columns: string[];
  references: string;
  onDelete: string;
  onUpdate: string;
  validated: boolean;
}

/** A database's state as the report describes it, read from pg_catalog (before and after a run). */
export interface StateSummary {
  schemas: string[];
  tables: number;
  foreignKeys: ForeignKeyState[];
  /** `schema.table.column` → nullable. */
  columns: Array<{ column: string; nullable: boolean }>;
  indexes: Array<{ name: string; table: string; valid: boolean; definition: string }>;
  checkConstraints: Array<{ table: string; name: string; definition: string; validated: boolean }>;
  rowCounts: Record<string, number>;
  totalBytes: number;
}

export function foreignKeyState(fk: LiveForeignKey): ForeignKeyState {
  return {
    name: fk.name,
    table: `${fk.schema}.${fk.table}`,
    columns: fk.columns,
    references: `${fk.refSchema}.${fk.refTable}(${fk.refColumns.join(", ")})`,
    onDelete: REFERENTIAL_ACTION_NAMES[fk.onDelete],
    onUpdate: REFERENTIAL_ACTION_NAMES[fk.onUpdate],
    validated: fk.validated,
  };
}

/** Reads the summary inside a READ ONLY transaction; row counts in one query over every table. */
export async function readStateSummary(client: pg.ClientBase, schemas: readonly string[]): Promise<StateSummary> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const live = await readLiveSchema(client, schemas);
    const leaves = live.tables.filter((t) => !t.partitioned);
    const counts = leaves.length
      ? await client.query<{ t: string; n: string }>(leaves.map((t) => `SELECT ${quoteLiteral(`${t.schema}.${t.table}`)} AS t, count(*) AS n FROM ${quoteQualified(t.schema, t.table)}`).join(" UNION ALL "))
      : { rows: [] };
    return {
      schemas: live.schemas,
      tables: live.tables.length,
      foreignKeys: live.foreignKeys.map(foreignKeyState),
      columns: live.columns.map((c) => ({ column: `${c.schema}.${c.table}.${c.name}`, nullable: !c.notNull })),
      indexes: live.indexes.map((i) => ({ name: `${i.schema}.${i.name}`, table: `${i.schema}.${i.table}`, valid: i.valid, definition: i.definition })),
      checkConstraints: live.constraints.filter((c) => c.kind === "c").map((c) => ({ table: `${c.schema}.${c.table}`, name: c.name, definition: c.definition, validated: c.validated })),
      rowCounts: Object.fromEntries(counts.rows.map((row) => [row.t, Number(row.n)])),
      totalBytes: live.tables.reduce((sum, t) => sum + t.totalBytes, 0),
    };
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
  }
}
