import { quoteIdent, quoteLiteral } from "@soleflip/sql";
import type { Fragment } from "../fragments.ts";
import { statementsOf } from "../fragments.ts";
import { tableName, type ReplaceEnum } from "../operations.ts";
import { countedCheck } from "../preflight-query.ts";
import { namesOf, quoteTable, rowKeySql, tableExists, UNQUALIFIED_SCHEMA } from "../sql-parts.ts";
import type { OperationModule, PreflightResult } from "../types.ts";

/**
 * Prisma's way of removing or reordering enum values: in one transaction, create `<Enum>_new`, convert
 * every column to it (a table rewrite each, under ACCESS EXCLUSIVE), swap the names, drop the old type.
 * The pre-flight counts rows that hold a value the new type lacks (the conversion would fail).
 */
export const replaceEnum: OperationModule<"replace-enum"> = {
  kind: "replace-enum",
  summary: "An enum replaced by a new type (values removed or reordered): every column using it is rewritten.",
  recognise(fragments) {
    for (const block of fragments.availableBlocks()) {
      const operation = enumReplacement(block);
      if (operation) fragments.claim(block, operation);
    }
  },
  plan(operation, { live }) {
    const current = live.enums.find((e) => e.schema === operation.schema && e.name === operation.name);
    const leftover = live.enums.some((e) => e.schema === operation.schema && (e.name === `${operation.name}_new` || e.name === `${operation.name}_old`));
    if (current && current.labels.join("\u0000") === operation.labels.join("\u0000") && !leftover) {
      return { operation, status: "present", found: `${operation.schema}.${operation.name} already has (${operation.labels.join(", ")})`, steps: [] };
    }
    const removed = (current?.labels ?? []).filter((label) => !operation.labels.includes(label));
    const tables = [...new Set(operation.columns.map(tableName))];
    return {
      operation,
      status: "absent",
      found: current ? `${operation.schema}.${operation.name} has (${current.labels.join(", ")})${removed.length ? `; removes ${removed.join(", ")}` : ""}` : "enum not found",
      steps: [{
        description: `replace ${operation.schema}.${operation.name} and convert ${operation.columns.map((c) => `${tableName(c)}.${c.column}`).join(", ") || "no column"} (one transaction)`,
        sql: operation.statements.filter((s) => !("TransactionStmt" in s.node)).map((s) => s.text),
        transactional: true,
        lock: "ACCESS EXCLUSIVE",
        tables,
        hazards: operation.columns.length > 0 ? ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "REWRITES_TABLE"] : ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK"],
      }],
    };
  },
  async preflight(operation, { client, live, migration }) {
    const results: PreflightResult[] = [];
    for (const column of operation.columns) {
      if (!tableExists(live, column)) continue;
      const fromWhere = `FROM ${quoteTable(column)} AS t WHERE t.${quoteIdent(column.column)} IS NOT NULL AND t.${quoteIdent(column.column)}::text NOT IN (${operation.labels.map(quoteLiteral).join(", ")})`;
      const identity = { id: `enum-values-in-use:${tableName(column)}.${column.column}`, migration, operationId: operation.id, check: "enum-values-in-use" as const, table: tableName(column), columns: [column.column] };
      results.push(
        await countedCheck(client, identity, fromWhere, `t.${quoteIdent(column.column)}::text || ' @ ' || ${rowKeySql(live, column, "t")}`, (count) =>
          count === 0
            ? `no row of ${tableName(column)} uses a value ${operation.name} loses`
            : `${count} row(s) of ${tableName(column)} hold a ${column.column} value the new ${operation.name} does not have; change them first (a declared repair), or keep the value`,
        ),
      );
    }
    return results;
  },
  managedObjects: (operation) => [
    { kind: "enum", name: `${operation.schema}.${operation.name}` },
    ...operation.columns.map((c) => ({ kind: "column" as const, name: `${tableName(c)}.${c.column}` })),
  ],
  alternative: (operation) =>
    `if a value was renamed, replace this block with ALTER TYPE ${quoteIdent(operation.schema)}.${quoteIdent(operation.name)} RENAME VALUE 'old' TO 'new' (instant, no rewrite); a value cannot be removed without converting every column that uses ${operation.name}`,
};

/** Reads Prisma's block: CREATE TYPE X_new AS ENUM, ALTER … TYPE X_new, RENAME X → X_old, X_new → X, DROP X_old. */
function enumReplacement(block: readonly Fragment[]): ReplaceEnum | undefined {
  let created: { schema: string; name: string; labels: string[] } | undefined;
  for (const fragment of block) {
    const node = fragment.statement.node;
    if ("CreateEnumStmt" in node) {
      const parts = namesOf(node.CreateEnumStmt.typeName);
      const name = parts.at(-1) ?? "";
      if (name.endsWith("_new")) created = { schema: parts.length > 1 ? (parts[0] ?? UNQUALIFIED_SCHEMA) : UNQUALIFIED_SCHEMA, name: name.slice(0, -4), labels: namesOf(node.CreateEnumStmt.vals) };
    }
  }
  if (!created) return undefined;
  const target = created;
  const renamesBack = block.some((fragment) => {
    const node = fragment.statement.node;
    return "RenameStmt" in node && node.RenameStmt.renameType === "OBJECT_TYPE" && node.RenameStmt.newname === target.name;
  });
  if (!renamesBack) return undefined;
  const columns = block.flatMap((fragment) => {
    const cmd = fragment.alter?.cmd;
    if (cmd?.subtype !== "AT_AlterColumnType" || !fragment.alter) return [];
    const def = cmd.def && "ColumnDef" in cmd.def ? cmd.def.ColumnDef : undefined;
    return namesOf(def?.typeName?.names).at(-1) === `${target.name}_new` ? [{ ...fragment.alter.table, column: cmd.name ?? "" }] : [];
  });
  return {
    kind: "replace-enum",
    id: `replace-enum:${target.schema}.${target.name}`,
    statements: statementsOf(block),
    schema: target.schema,
    name: target.name,
    labels: target.labels,
    columns,
  };
}
