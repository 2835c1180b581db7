import type { LiveSchema } from "@soleflip/catalog";
import type pg from "pg";
import { HAZARDS_NEEDING_ACKNOWLEDGEMENT, quoteIdent, quoteTable, tableName, type Operation, type Repair, type TableRef } from "../plan/operations.ts";
import type { PlannedOperation } from "../plan/plan-operation.ts";
import { readDirectives } from "@soleflip/sql";

export type PreflightCheck = "orphans" | "nulls" | "duplicates" | "hazard";

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
  /** The read-only query that produced the count, for the report. */
  sql: string;
}

export interface PendingPlan {
  migration: string;
  planned: PlannedOperation[];
}

const SAMPLE_SIZE = 5;

function sameTable(object: { schema: string; table: string }, ref: TableRef): boolean {
  return object.schema === ref.schema && object.table === ref.table;
}

function tableExists(live: LiveSchema, ref: TableRef): boolean {
  return live.tables.some((t) => sameTable(t, ref));
}

function keyColumns(live: LiveSchema, ref: TableRef): string[] {
  return live.constraints.find((c) => sameTable(c, ref) && c.kind === "p")?.columns ?? [];
}

function keyExpression(live: LiveSchema, ref: TableRef, alias: string): string {
  const columns = keyColumns(live, ref);
  if (columns.length === 0) return `${alias}.ctid::text`;
  return columns.map((column) => `${alias}.${quoteIdent(column)}::text`).join(` || ',' || `);
}

/**
 * Read-only checks derived from the pending operations, run before the first change in one
 * REPEATABLE READ READ ONLY transaction: orphans before a foreign key is added or validated, NULLs before
 * NOT NULL (minus the rows a declared repair will fill), duplicates before a unique index, and hazards
 * that need an acknowledgement.
 */
export async function runPreflight(client: pg.ClientBase, plans: readonly PendingPlan[], live: LiveSchema): Promise<PreflightResult[]> {
  const repairs = plans.flatMap((plan) => plan.planned.map((p) => p.operation)).filter((op): op is Repair => op.kind === "repair");
  const results: PreflightResult[] = [];
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    for (const plan of plans) {
      for (const planned of plan.planned) {
        if (planned.status === "present" || planned.status === "ignored") continue;
        const result = await checkOperation(client, plan.migration, planned.operation, live, repairs);
        if (result) results.push(result);
      }
    }
  } finally {
    await client.query("ROLLBACK");
  }
  return results;
}

async function count(client: pg.ClientBase, fromWhere: string, keySql: string): Promise<{ count: number; sample: string[] }> {
  const total = await client.query<{ n: string }>(`SELECT count(*) AS n ${fromWhere}`);
  const n = Number(total.rows[0]?.n ?? 0);
  if (n === 0) return { count: 0, sample: [] };
  const sample = await client.query<{ k: string }>(`SELECT ${keySql} AS k ${fromWhere} ORDER BY 1 LIMIT ${SAMPLE_SIZE}`);
  return { count: n, sample: sample.rows.map((row) => row.k) };
}

async function checkOperation(
  client: pg.ClientBase,
  migration: string,
  operation: Operation,
  live: LiveSchema,
  repairs: Repair[],
): Promise<PreflightResult | undefined> {
  switch (operation.kind) {
    case "ensure-foreign-key": {
      if (!operation.validated || !tableExists(live, operation.table) || !tableExists(live, operation.ref)) return undefined;
      const refColumns = operation.refColumns.length > 0 ? operation.refColumns : keyColumns(live, operation.ref);
      const join = operation.columns.map((column, i) => `r.${quoteIdent(refColumns[i] ?? "id")} = t.${quoteIdent(column)}`).join(" AND ");
      const notNull = operation.columns.map((column) => `t.${quoteIdent(column)} IS NOT NULL`).join(" AND ");
      const fromWhere = `FROM ${quoteTable(operation.table)} AS t WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${quoteTable(operation.ref)} AS r WHERE ${join})`;
      const { count: n, sample } = await count(client, fromWhere, keyExpression(live, operation.table, "t"));
      return {
        id: `orphans:${tableName(operation.table)}.${operation.name}`,
        migration,
        operationId: operation.id,
        check: "orphans",
        table: tableName(operation.table),
        columns: operation.columns,
        count: n,
        sampleKeys: sample,
        passed: n === 0,
        message:
          n === 0
            ? `no rows of ${tableName(operation.table)} reference a missing ${tableName(operation.ref)}`
            : `${n} row(s) of ${tableName(operation.table)} have ${operation.columns.join(", ")} pointing at no ${tableName(operation.ref)} row; foreign key ${operation.name} cannot be validated`,
        sql: `SELECT count(*) ${fromWhere}`,
      };
    }
    case "ensure-not-null": {
      if (!live.columns.some((c) => sameTable(c, operation.table) && c.name === operation.column)) return undefined;
      const covering = repairs.filter((repair) => sameTable(repair.table, operation.table) && repair.setsColumns.includes(operation.column));
      const excluded = covering.map((repair) => ` AND t.ctid NOT IN (${repair.affectedRowsSql})`).join("");
      const fromWhere = `FROM ${quoteTable(operation.table)} AS t WHERE t.${quoteIdent(operation.column)} IS NULL${excluded}`;
      const { count: n, sample } = await count(client, fromWhere, keyExpression(live, operation.table, "t"));
      const repaired = covering.length > 0 ? ` after repair ${covering.map((r) => r.repairId).join(", ")}` : "";
      return {
        id: `nulls:${tableName(operation.table)}.${operation.column}`,
        migration,
        operationId: operation.id,
        check: "nulls",
        table: tableName(operation.table),
        columns: [operation.column],
        count: n,
        sampleKeys: sample,
        passed: n === 0,
        message:
          n === 0
            ? `no NULL ${operation.column} would remain${repaired}`
            : `${n} row(s) of ${tableName(operation.table)} would keep a NULL ${operation.column}${repaired}; no declared repair can fill them`,
        sql: `SELECT count(*) ${fromWhere}`,
      };
    }
    case "ensure-index": {
      if (!operation.unique || !tableExists(live, operation.table)) return undefined;
      const columns = operation.columnsSql;
      const nonNull = columns.map((column) => `(${column}) IS NOT NULL`).join(" AND ");
      const predicate = operation.predicateSql ? ` AND (${operation.predicateSql})` : "";
      const fromWhere = `FROM (SELECT ${columns.map((c, i) => `(${c}) AS k${i}`).join(", ")} FROM ${quoteTable(operation.table)} WHERE ${nonNull}${predicate} GROUP BY ${columns.map((_, i) => i + 1).join(", ")} HAVING count(*) > 1) AS d`;
      const keySql = columns.map((_, i) => `d.k${i}::text`).join(` || ',' || `);
      const { count: n, sample } = await count(client, fromWhere, keySql);
      return {
        id: `duplicates:${operation.table.schema}.${operation.name}`,
        migration,
        operationId: operation.id,
        check: "duplicates",
        table: tableName(operation.table),
        columns,
        count: n,
        sampleKeys: sample,
        passed: n === 0,
        message: n === 0 ? `no duplicate (${columns.join(", ")}) values` : `${n} duplicated value(s) of (${columns.join(", ")}) in ${tableName(operation.table)}; unique index ${operation.name} cannot be built`,
        sql: `SELECT count(*) ${fromWhere}`,
      };
    }
    case "raw": {
      const needing = operation.hazards.filter((hazard) => HAZARDS_NEEDING_ACKNOWLEDGEMENT.has(hazard));
      if (needing.length === 0) return undefined;
      const acknowledged = new Set(operation.statements.flatMap((s) => readDirectives(s.comments).allowHazards.map((a) => a.hazard)));
      const missing = needing.filter((hazard) => !acknowledged.has(hazard));
      return {
        id: `hazard:${migration}:${operation.id}`,
        migration,
        operationId: operation.id,
        check: "hazard",
        table: operation.tables.map(tableName).join(", "),
        columns: [],
        count: missing.length,
        sampleKeys: [],
        passed: missing.length === 0,
        message:
          missing.length === 0
            ? `hazards ${needing.join(", ")} acknowledged in the migration`
            : `unacknowledged hazard(s) ${missing.join(", ")}: add "-- migrator:allow-hazard ${missing[0]}: <why it is safe>" before the statement`,
        sql: "",
      };
    }
    default:
      return undefined;
  }
}
