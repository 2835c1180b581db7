import { deparseNode, quoteIdent, quoteLiteral } from "@soleflip/sql";
import { formatTypeName, parseFormattedType, typeChangeNarrows, typeChangeRewrites } from "../column-types.ts";
import { tableName } from "../operations.ts";
import { countRows, rowsText } from "../preflight-query.ts";
import { alterTableSql, findColumn, quoteTable, rowKeySql, tableExists } from "../sql-parts.ts";
import type { OperationModule, PreflightResult, Step } from "../types.ts";

/** pg_input_is_valid (PostgreSQL 16+) tells, per value, whether the new type accepts it. */
const INPUT_IS_VALID_SINCE = 160_000;

/**
 * A column's type changes. Raising a varchar/numeric/timestamp limit, varchar to text and cidr to inet
 * rewrite nothing (a catalog change under a brief ACCESS EXCLUSIVE lock); every other change rewrites the
 * table under ACCESS EXCLUSIVE (reads and writes wait for the whole rewrite): a hazard that needs an
 * acknowledgement, with expand-and-contract as the online alternative. Values the new type would reject
 * are counted before any change.
 */
export const alterColumnType: OperationModule<"alter-column-type"> = {
  kind: "alter-column-type",
  summary: "ALTER COLUMN TYPE: a catalog change when PostgreSQL can skip the rewrite, otherwise a table rewrite that needs acknowledgement.",
  recognise(fragments) {
    for (const alter of fragments.alterCommands("AT_AlterColumnType")) {
      const def = alter.alter.cmd.def;
      const column = def && "ColumnDef" in def ? def.ColumnDef : undefined;
      const name = alter.alter.cmd.name ?? "";
      const using = column?.raw_default ? deparseNode(column.raw_default) : null;
      fragments.claim([alter], {
        kind: "alter-column-type",
        id: `alter-column-type:${tableName(alter.alter.table)}.${name}`,
        statements: [alter.statement],
        table: alter.alter.table,
        column: name,
        typeSql: column?.typeName ? deparseNode({ TypeName: column.typeName }) : "?",
        formattedType: formatTypeName(column?.typeName),
        usingSql: using,
        sql: alterTableSql(alter.alter.table, alter.alter.cmd),
      });
    }
  },
  plan(operation, { live }) {
    const current = findColumn(live, operation.table, operation.column);
    if (current && operation.formattedType && current.type === operation.formattedType) {
      return { operation, status: "present", found: `${operation.column} is already ${current.type}`, steps: [] };
    }
    const rewrites = typeChangeRewrites(current?.type, operation.formattedType, operation.usingSql !== null);
    const step: Step = {
      description: `${operation.column}: ${current?.type ?? "?"} → ${operation.formattedType ?? operation.typeSql}${rewrites ? " (rewrites the table)" : " (catalog only, no rewrite)"}`,
      sql: [operation.sql],
      transactional: true,
      lock: "ACCESS EXCLUSIVE",
      tables: [tableName(operation.table)],
      hazards: rewrites ? ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "REWRITES_TABLE"] : ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK"],
    };
    return { operation, status: "absent", found: current ? `${operation.column} is ${current.type}` : "column not found (added earlier in this run?)", steps: [step] };
  },
  async preflight(operation, { client, live, migration, serverVersionNum }) {
    const current = findColumn(live, operation.table, operation.column);
    if (!current || !tableExists(live, operation.table) || !typeChangeNarrows(current.type, operation.formattedType)) return [];
    const base = { id: `does-not-fit:${tableName(operation.table)}.${operation.column}`, migration, operationId: operation.id, check: "does-not-fit" as const, table: tableName(operation.table), columns: [operation.column] };
    const column = `t.${quoteIdent(operation.column)}`;
    let predicate: string | undefined;
    if (operation.usingSql === null && operation.formattedType) {
      if (serverVersionNum >= INPUT_IS_VALID_SINCE) predicate = `NOT pg_input_is_valid(${column}::text, ${quoteLiteral(operation.formattedType)})`;
      else predicate = legacyFitPredicate(column, parseFormattedType(operation.formattedType));
    }
    if (!predicate) {
      return [{ ...base, count: 0, sampleKeys: [], passed: true, sql: "", message: `values are converted ${operation.usingSql ? `with USING ${operation.usingSql}` : `to ${operation.typeSql}`}; a value that does not convert makes the statement fail as a whole, changing nothing` }];
    }
    const { count, sample, sql } = await countRows(client, `FROM ${quoteTable(operation.table)} AS t WHERE ${column} IS NOT NULL AND ${predicate}`, rowKeySql(live, operation.table, "t"));
    const result: PreflightResult = {
      ...base,
      count,
      sampleKeys: sample,
      passed: count === 0,
      sql,
      message:
        count === 0
          ? `every ${operation.column} fits ${operation.formattedType}`
          : `${rowsText(count)} of ${tableName(operation.table)} hold a ${operation.column} that ${operation.formattedType} does not accept; the change cannot apply until they are fixed (a declared repair)`,
    };
    return [result];
  },
  managedObjects: (operation) => [{ kind: "column", name: `${tableName(operation.table)}.${operation.column}` }],
  alternative: (operation) =>
    `expand and contract: add a new column of type ${operation.formattedType ?? operation.typeSql}, fill it with a declared repair (run in batches) while the application writes both, switch reads to it, and drop ${operation.column} in a later migration`,
};

/** Before PostgreSQL 16: the limits of the common types, as predicates on the old values. */
function legacyFitPredicate(column: string, target: ReturnType<typeof parseFormattedType>): string | undefined {
  const [first, second] = target.mods;
  if (["character varying", "character"].includes(target.base) && first !== undefined) return `char_length(${column}::text) > ${first}`;
  if (target.base === "numeric" && first !== undefined) return `abs(${column}::numeric) >= 10::numeric ^ ${first - (second ?? 0)}`;
  if (target.base === "integer") return `${column}::numeric NOT BETWEEN -2147483648 AND 2147483647`;
  if (target.base === "smallint") return `${column}::numeric NOT BETWEEN -32768 AND 32767`;
  return undefined;
}
