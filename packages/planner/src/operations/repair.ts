import { deparseNode, deparseWithRelation, parseStatementsSync, readDirectives, type Node, type UpdateStmt } from "@soleflip/sql";
import type { LiveSchema } from "@soleflip/catalog";
import { tableName, type Repair } from "../operations.ts";
import { findColumn, primaryKeyColumns, quoteIdent, quoteTable, tableOf } from "../sql-parts.ts";
import type { BatchedUpdate, OperationModule } from "../types.ts";

/**
 * A declared data repair: `-- migrator:repair <id>` and `-- migrator:why …` before an UPDATE. It runs
 * in keyset batches by the table's primary key (each batch its own short transaction), and its rows
 * are subtracted from the NULLs a later NOT NULL would otherwise find.
 */
export const repair: OperationModule<"repair"> = {
  kind: "repair",
  summary: "A declared data repair (UPDATE with -- migrator:repair and -- migrator:why), run in keyset batches.",
  recognise(fragments) {
    for (const fragment of fragments.available()) {
      if (fragment.alter) continue;
      const declared = readDirectives(fragment.statement.comments).repair;
      if (!declared) continue;
      const node = fragment.statement.node;
      if (!("UpdateStmt" in node)) {
        fragments.problem(fragment.statement, "a repair must be a single UPDATE statement");
        fragments.discard([fragment]);
        continue;
      }
      fragments.claim([fragment], repairOperation(fragment.statement, node.UpdateStmt, declared));
    }
  },
  plan(operation, { live }) {
    const batched = batchedForm(operation, live);
    return {
      operation,
      status: "repair",
      found: `declared repair; why: ${operation.why}`,
      steps: [{
        description: `repair ${operation.repairId}${batched ? ` (keyset batches by ${batched.keyColumn})` : ""}`,
        sql: [operation.sql],
        transactional: true,
        lock: "ROW EXCLUSIVE",
        tables: [tableName(operation.table)],
        hazards: ["BACKFILLS_DATA"],
        reportsRows: true,
        ...(batched ? { batched } : {}),
      }],
    };
  },
  preflight: async () => [],
  managedObjects: () => [],
  alternative: () => undefined,
};

function repairOperation(statement: Repair["statements"][number], update: UpdateStmt, declared: { id: string; why: string }): Repair {
  const target = tableOf(update.relation);
  const alias = update.relation?.alias?.aliasname;
  const qualifier = alias ? quoteIdent(alias) : quoteTable(target);
  const from = [`${quoteTable(target)}${alias ? ` AS ${quoteIdent(alias)}` : ""}`, ...(update.fromClause ?? []).map((item) => deparseNode(item))];
  const where = update.whereClause ? ` WHERE ${deparseNode(update.whereClause)}` : "";
  const setsColumns = (update.targetList ?? []).map((item) => ("ResTarget" in item ? (item.ResTarget.name ?? "?") : "?"));
  return {
    kind: "repair",
    id: `repair:${declared.id}`,
    statements: [statement],
    repairId: declared.id,
    why: declared.why,
    table: target,
    setsColumns,
    sql: statement.text,
    affectedRowsSql: `SELECT ${qualifier}.ctid FROM ${from.join(", ")}${where}`,
    update,
  };
}

/**
 * The UPDATE restricted to one key range, `key > $1 AND key <= $2` (both typed as the key column),
 * when the table has a single-column primary key; the runner walks the ranges in key order.
 */
export function batchedForm(operation: Repair, live: LiveSchema): BatchedUpdate | undefined {
  const keys = primaryKeyColumns(live, operation.table);
  const keyColumn = keys[0];
  if (keys.length !== 1 || !keyColumn) return undefined;
  const type = findColumn(live, operation.table, keyColumn)?.type;
  if (!type) return undefined;
  const qualifier = operation.update.relation?.alias?.aliasname ? quoteIdent(operation.update.relation.alias.aliasname) : quoteTable(operation.table);
  const key = `${qualifier}.${quoteIdent(keyColumn)}`;
  const [range] = parseStatementsSync(`SELECT 1 WHERE ($1::${type} IS NULL OR ${key} > $1::${type}) AND ${key} <= $2::${type}`);
  const rangeWhere = range && "SelectStmt" in range.node ? range.node.SelectStmt.whereClause : undefined;
  if (!rangeWhere) return undefined;
  const update = structuredClone(operation.update);
  update.whereClause = update.whereClause ? ({ BoolExpr: { boolop: "AND_EXPR", args: [update.whereClause, rangeWhere] } } as Node) : rangeWhere;
  const statement = { UpdateStmt: update } as Node;
  const alias = update.relation?.alias?.aliasname;
  // The placeholder relation carries no alias, so the alias is written back with the quoted name.
  const sql = deparseWithRelation(statement, update as { relation?: unknown }, `${quoteTable(operation.table)}${alias ? ` AS ${quoteIdent(alias)}` : ""}`);
  return {
    table: operation.table,
    keyColumn,
    keyType: type,
    sql: sql.replace(/\s*\n\s*/g, " "),
    boundsSql:
      `WITH batch AS (SELECT ${quoteIdent(keyColumn)} AS k FROM ${quoteTable(operation.table)} WHERE $1::${type} IS NULL OR ${quoteIdent(keyColumn)} > $1::${type} ORDER BY 1 LIMIT $2) ` +
      "SELECT (SELECT k FROM batch ORDER BY k DESC LIMIT 1)::text AS upper, (SELECT count(*) FROM batch) AS n",
    countSql: `SELECT count(*) AS n FROM ${quoteTable(operation.table)} WHERE $1::${type} IS NULL OR ${quoteIdent(keyColumn)} > $1::${type}`,
  };
}
