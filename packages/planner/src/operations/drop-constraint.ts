import { tableName } from "../operations.ts";
import { sameTable } from "../sql-parts.ts";
import { ddlStep, dropConstraintSql } from "../steps.ts";
import type { OperationModule } from "../types.ts";

/** A constraint is gone: a catalog change under a brief ACCESS EXCLUSIVE lock. */
export const dropConstraint: OperationModule<"drop-constraint"> = {
  kind: "drop-constraint",
  summary: "DROP CONSTRAINT: a catalog change under a brief ACCESS EXCLUSIVE lock; nothing to do when it is gone.",
  recognise(fragments) {
    for (const drop of fragments.alterCommands("AT_DropConstraint")) {
      const name = drop.alter.cmd.name ?? "";
      fragments.claim([drop], { kind: "drop-constraint", id: `drop-constraint:${tableName(drop.alter.table)}.${name}`, statements: [drop.statement], table: drop.alter.table, name });
    }
  },
  plan(operation, { live }) {
    const exists =
      live.foreignKeys.some((k) => sameTable(k, operation.table) && k.name === operation.name) ||
      live.constraints.some((c) => sameTable(c, operation.table) && c.name === operation.name) ||
      live.columns.some((c) => sameTable(c, operation.table) && c.invalidNotNull === operation.name);
    if (!exists) return { operation, status: "present", found: `${operation.name} is already gone`, steps: [] };
    const references = live.foreignKeys.find((k) => sameTable(k, operation.table) && k.name === operation.name);
    return {
      operation,
      status: "absent",
      found: `${operation.name} exists`,
      steps: [ddlStep(`drop constraint ${operation.name}`, [dropConstraintSql(operation.table, operation.name)], operation.table, "ACCESS EXCLUSIVE", references ? [{ schema: references.refSchema, table: references.refTable }] : [])],
    };
  },
  preflight: async () => [],
  managedObjects: (operation) => [{ kind: "constraint", name: `${tableName(operation.table)}.${operation.name}` }],
  alternative: () => undefined,
};
