import { deparseNode, type ColumnDef, type Node } from "@soleflip/sql";
import { tableName, type AddColumn } from "../operations.ts";
import { countRows, rowsText } from "../preflight-query.ts";
import { alterTableSql, findColumn, namesOf, quoteTable, tableExists } from "../sql-parts.ts";
import type { OperationModule, Step } from "../types.ts";
import { formatTypeName } from "../column-types.ts";

/** Defaults PostgreSQL evaluates once when the column is added (no rewrite since PostgreSQL 11). */
const STABLE_FUNCTIONS = new Set(["now", "current_timestamp", "transaction_timestamp", "statement_timestamp", "current_date", "localtimestamp", "lower", "upper", "coalesce", "concat", "to_jsonb", "jsonb_build_object", "json_build_object", "array_fill"]);
const SERIAL_TYPES = new Set(["serial", "bigserial", "smallserial", "serial4", "serial8", "serial2"]);

/**
 * A new column. Nullable, or with a constant or stable default, it is a catalog change (a brief ACCESS
 * EXCLUSIVE lock). A volatile default (gen_random_uuid(), a sequence, an identity, a stored generated
 * column) makes PostgreSQL rewrite the table: a hazard that needs acknowledgement. NOT NULL without a
 * default cannot be added to a table that has rows: the pre-flight counts them.
 */
export const addColumn: OperationModule<"add-column"> = {
  kind: "add-column",
  summary: "A new column: a catalog change, unless its default is volatile (table rewrite) or it is NOT NULL without a default on a table with rows.",
  recognise(fragments) {
    for (const add of fragments.alterCommands("AT_AddColumn")) {
      const def = add.alter.cmd.def;
      const column = def && "ColumnDef" in def ? def.ColumnDef : undefined;
      if (!column?.colname) continue;
      const constraints = (column.constraints ?? []).flatMap((c) => ("Constraint" in c ? [c.Constraint] : []));
      // Inline keys, checks and references are other operations' business: leave such a column raw.
      if (constraints.some((c) => ["CONSTR_FOREIGN", "CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_CHECK"].includes(c.contype ?? ""))) continue;
      const defaultNode = constraints.find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr;
      const typeNames = namesOf(column.typeName?.names);
      const serial = SERIAL_TYPES.has(typeNames.at(-1) ?? "");
      const generated = constraints.some((c) => c.contype === "CONSTR_IDENTITY" || (c.contype === "CONSTR_GENERATED" && c.generated_kind !== "v"));
      const operation: AddColumn = {
        kind: "add-column",
        id: `add-column:${tableName(add.alter.table)}.${column.colname}`,
        statements: [add.statement],
        table: add.alter.table,
        column: column.colname,
        typeSql: typeSql(column),
        formattedType: formatTypeName(column.typeName),
        notNull: constraints.some((c) => c.contype === "CONSTR_NOTNULL") || column.is_not_null === true,
        defaultSql: defaultNode ? deparseNode(defaultNode) : null,
        hasGeneratedValue: serial || generated,
        rewritesTable: serial || generated || (defaultNode !== undefined && isVolatile(defaultNode)),
        sql: alterTableSql(add.alter.table, add.alter.cmd),
      };
      fragments.claim([add], operation);
    }
  },
  plan(operation, { live }) {
    const existing = findColumn(live, operation.table, operation.column);
    if (existing) return { operation, status: "present", found: `column ${operation.column} exists (${existing.type})`, steps: [] };
    const step: Step = {
      description: `add column ${operation.column}${operation.rewritesTable ? " (volatile default: rewrites the table)" : ""}`,
      sql: [operation.sql],
      transactional: true,
      lock: "ACCESS EXCLUSIVE",
      tables: [tableName(operation.table)],
      hazards: operation.rewritesTable ? ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "REWRITES_TABLE"] : ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK"],
    };
    return { operation, status: "absent", found: "no such column", steps: [step] };
  },
  async preflight(operation, { client, live, migration }) {
    if (!operation.notNull || operation.defaultSql !== null || operation.hasGeneratedValue || !tableExists(live, operation.table)) return [];
    const { count, sql } = await countRows(client, `FROM ${quoteTable(operation.table)}`, "1");
    return [{
      id: `rows-present:${tableName(operation.table)}.${operation.column}`,
      migration,
      operationId: operation.id,
      check: "rows-present",
      table: tableName(operation.table),
      columns: [operation.column],
      count,
      sampleKeys: [],
      passed: count === 0,
      sql,
      message:
        count === 0
          ? `${tableName(operation.table)} is empty: a NOT NULL column without a default can be added`
          : `${tableName(operation.table)} has ${rowsText(count)}: a NOT NULL column without a default cannot be added to them; give it a default, or add it nullable, fill it with a declared repair, then make it required`,
    }];
  },
  managedObjects: (operation) => [{ kind: "column", name: `${tableName(operation.table)}.${operation.column}` }],
  alternative: (operation) =>
    operation.rewritesTable
      ? `add ${operation.column} without the default (a catalog change), SET DEFAULT for new rows, fill existing rows with a declared repair (-- migrator:repair, run in batches), then make it NOT NULL in a later migration`
      : undefined,
};

function typeSql(column: ColumnDef): string {
  return namesOf(column.typeName?.names).filter((name) => name !== "pg_catalog").join(".");
}

function isVolatile(node: Node): boolean {
  let volatile = false;
  const visit = (value: unknown): void => {
    if (volatile || !value || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const record = value as Record<string, unknown>;
    const call = record["FuncCall"] as { funcname?: Node[] } | undefined;
    if (call) {
      const name = namesOf(call.funcname).at(-1) ?? "";
      if (!STABLE_FUNCTIONS.has(name.toLowerCase())) volatile = true;
    }
    if ("SubLink" in record) volatile = true;
    for (const inner of Object.values(record)) visit(inner);
  };
  visit(node);
  return volatile;
}
