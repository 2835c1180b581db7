import { tableName } from "../operations.ts";
import { sameTable } from "../sql-parts.ts";
import { validateSql, validationStep } from "../steps.ts";
import type { OperationModule } from "../types.ts";

/** VALIDATE CONSTRAINT of a constraint added earlier: a scan that lets reads and writes continue. */
export const validateConstraint: OperationModule<"validate-constraint"> = {
  kind: "validate-constraint",
  summary: "VALIDATE CONSTRAINT: a scan under SHARE UPDATE EXCLUSIVE (reads and writes continue).",
  recognise(fragments) {
    for (const validate of fragments.alterCommands("AT_ValidateConstraint")) {
      const name = validate.alter.cmd.name ?? "";
      fragments.claim([validate], { kind: "validate-constraint", id: `validate-constraint:${tableName(validate.alter.table)}.${name}`, statements: [validate.statement], table: validate.alter.table, name });
    }
  },
  plan(operation, { live }) {
    const fk = live.foreignKeys.find((k) => sameTable(k, operation.table) && k.name === operation.name);
    const check = live.constraints.find((c) => sameTable(c, operation.table) && c.name === operation.name);
    const validated = fk?.validated ?? check?.validated ?? live.columns.find((c) => sameTable(c, operation.table) && c.invalidNotNull === operation.name)?.notNull;
    if (validated === true) return { operation, status: "present", found: `${operation.name} is already validated`, steps: [] };
    if (validated === undefined) {
      return { operation, status: "absent", found: `constraint ${operation.name} not found`, steps: [{ ...validationStep(operation.table, operation.name), sql: [validateSql(operation.table, operation.name)] }] };
    }
    return { operation, status: "partial", found: `${operation.name} exists NOT VALID`, steps: [validationStep(operation.table, operation.name)] };
  },
  preflight: async () => [],
  managedObjects: (operation) => [{ kind: "constraint", name: `${tableName(operation.table)}.${operation.name}` }],
  alternative: () => undefined,
};
