import { readLiveSchema, REFERENTIAL_ACTION_NAMES, type LiveForeignKey } from "@soleflip/catalog";
import type pg from "pg";
import { ENRICHMENT_INDEXES } from "../performance/critical-queries.ts";

export interface ForeignKeyState {
  name: string;
  table: string;
  columns: string[];
  references: string;
  onDelete: string;
  onUpdate: string;
  validated: boolean;
}

/** What the 2025 report described as pre- and post-migration state, read from pg_catalog. */
export interface StateSummary {
  schemas: string[];
  tables: number;
  foreignKeys: ForeignKeyState[];
  columns: Array<{ column: string; nullable: boolean }>;
  enrichmentIndexes: Array<{ name: string; valid: boolean; definition: string }>;
  checkConstraints: Array<{ table: string; name: string; definition: string; validated: boolean }>;
  rowCounts: Record<string, number>;
  totalBytes: number;
}

export const KEY_COLUMNS = ["sales.order.platform_id", "sales.order.stockx_order_number"];

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

export async function readStateSummary(client: pg.ClientBase, schemas: readonly string[]): Promise<StateSummary> {
  const live = await readLiveSchema(client, schemas);
  const counts = await client.query<{ t: string; n: string }>(
    live.tables.map((t) => `SELECT '${t.schema}.${t.table}' AS t, count(*) AS n FROM "${t.schema}"."${t.table}"`).join(" UNION ALL ") || "SELECT '' AS t, 0 AS n WHERE false",
  );
  return {
    schemas: live.schemas,
    tables: live.tables.length,
    foreignKeys: live.foreignKeys.map(foreignKeyState),
    columns: KEY_COLUMNS.map((key) => {
      const column = live.columns.find((c) => `${c.schema}.${c.table}.${c.name}` === key);
      return { column: key, nullable: column ? !column.notNull : true };
    }),
    enrichmentIndexes: live.indexes.filter((i) => ENRICHMENT_INDEXES.includes(i.name) || i.name === "idx_product_enrichment_data").map((i) => ({ name: i.name, valid: i.valid, definition: i.definition })),
    checkConstraints: live.constraints.filter((c) => c.kind === "c").map((c) => ({ table: `${c.schema}.${c.table}`, name: c.name, definition: c.definition, validated: c.validated })),
    rowCounts: Object.fromEntries(counts.rows.map((row) => [row.t, Number(row.n)])),
    totalBytes: live.tables.reduce((sum, t) => sum + t.totalBytes, 0),
  };
}
