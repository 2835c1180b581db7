import { quoteIdent } from "@soleflip/sql";
import { tableName } from "../operations.ts";
import { findColumn, quoteTable } from "../sql-parts.ts";
import { ddlStep } from "../steps.ts";
import type { OperationModule } from "../types.ts";

/** The column accepts NULL: DROP NOT NULL is a catalog change, brief under ACCESS EXCLUSIVE. */
export const ensureNullable: OperationModule<"ensure-nullable"> = {
  kind: "ensure-nullable",
  summary: "A column accepts NULL (DROP NOT NULL: catalog only, a brief ACCESS EXCLUSIVE lock).",
  recognise(fragments) {
    for (const drop of fragments.alterCommands("AT_DropNotNull")) {
      const column = drop.alter.cmd.name ?? "";
      fragments.claim([drop], { kind: "ensure-nullable", id: `ensure-nullable:${tableName(drop.alter.table)}.${column}`, statements: [drop.statement], table: drop.alter.table, column });
    }
  },
  plan(operation, { live }) {
    const column = findColumn(live, operation.table, operation.column);
    if (column && !column.notNull && !column.invalidNotNull) return { operation, status: "present", found: "column is already nullable", steps: [] };
    return {
      operation,
      status: "absent",
      found: column ? "column is NOT NULL" : "column not found (added earlier in this run?)",
      steps: [ddlStep(`drop NOT NULL on ${tableName(operation.table)}.${operation.column}`, [`ALTER TABLE ${quoteTable(operation.table)} ALTER COLUMN ${quoteIdent(operation.column)} DROP NOT NULL`], operation.table, "ACCESS EXCLUSIVE")],
    };
  },
  preflight: async () => [],
  managedObjects: (operation) => [{ kind: "column", name: `${tableName(operation.table)}.${operation.column}` }],
  alternative: () => undefined,
};
