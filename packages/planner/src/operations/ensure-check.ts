import { quoteIdent } from "@soleflip/sql";
import { expressionKey, liveCheckKey } from "../equivalence.ts";
import { statementsOf, type Fragment } from "../fragments.ts";
import { tableName, type EnsureCheck } from "../operations.ts";
import { countedCheck, rowsText } from "../preflight-query.ts";
import { columnsOf, expressionSql, quoteTable, rowKeySql, sameTable, tableExists } from "../sql-parts.ts";
import { ddlStep, dropConstraintSql, renameConstraintSql, validationStep, withSuffix } from "../steps.ts";
import type { OperationModule, PlannedOperation, Step } from "../types.ts";

/**
 * A CHECK constraint with this expression, validated. Added NOT VALID (new rows are checked at once,
 * a brief ACCESS EXCLUSIVE lock), then validated by a scan that lets reads and writes continue. The
 * pre-flight counts the rows that violate the expression and refuses before any change: a NOT VALID
 * CHECK left behind by a failed validation would already reject the application's writes.
 */
export const ensureCheck: OperationModule<"ensure-check"> = {
  kind: "ensure-check",
  summary: "A CHECK constraint: pre-flight counts violating rows, then NOT VALID + VALIDATE.",
  recognise(fragments) {
    for (const add of fragments.alterCommands("AT_AddConstraint")) {
      const def = add.alter.cmd.def;
      const constraint = def && "Constraint" in def ? def.Constraint : undefined;
      if (constraint?.contype !== "CONSTR_CHECK" || !constraint.raw_expr || fragments.isClaimed(add)) continue;
      if (!constraint.conname) {
        fragments.problem(add.statement, "name the CHECK constraint (ADD CONSTRAINT <name> CHECK …) so that it can be found and reported");
        fragments.discard([add]);
        continue;
      }
      const absorbed: Fragment[] = [add];
      let validated = constraint.skip_validation !== true;
      for (const validate of fragments.alterCommands("AT_ValidateConstraint")) {
        if (sameTable(validate.alter.table, add.alter.table) && validate.alter.cmd.name === constraint.conname) {
          absorbed.push(validate);
          validated = true;
        }
      }
      const operation: EnsureCheck = {
        kind: "ensure-check",
        id: `ensure-check:${tableName(add.alter.table)}.${constraint.conname}`,
        statements: statementsOf(absorbed),
        table: add.alter.table,
        name: constraint.conname,
        expressionSql: expressionSql(constraint.raw_expr),
        expressionKey: expressionKey(constraint.raw_expr),
        columns: columnsOf(constraint.raw_expr),
        validated,
      };
      fragments.claim(absorbed, operation, add);
    }
  },
  plan(operation, { live }): PlannedOperation {
    const onTable = live.constraints.filter((c) => c.kind === "c" && sameTable(c, operation.table));
    const same = onTable.filter((c) => liveCheckKey(c.definition) === operation.expressionKey).sort((a, b) => Number(b.name === operation.name) - Number(a.name === operation.name) || Number(b.validated) - Number(a.validated));
    const keep = same[0];
    const sameNameOther = onTable.find((c) => c.name === operation.name && c !== keep);
    const steps: Step[] = [];
    let current = keep?.name;
    if (!keep) {
      current = sameNameOther ? withSuffix(operation.name, "_new") : operation.name;
      steps.push(
        ddlStep(
          `add CHECK ${current} NOT VALID (checks new rows only)`,
          [`ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(current)} CHECK (${operation.expressionSql}) NOT VALID`],
          operation.table,
          "ACCESS EXCLUSIVE",
        ),
      );
    }
    if (operation.validated && !keep?.validated) steps.push(validationStep(operation.table, current ?? operation.name));
    const swap: string[] = [];
    if (sameNameOther && keep?.name !== operation.name) swap.push(dropConstraintSql(operation.table, sameNameOther.name));
    if (current !== operation.name) swap.push(renameConstraintSql(operation.table, current ?? "", operation.name));
    if (swap.length > 0) steps.push(ddlStep(`swap in ${operation.name}`, swap, operation.table, "ACCESS EXCLUSIVE"));
    const found = keep ? `CHECK ${keep.name} exists${keep.validated ? "" : " NOT VALID"}` : sameNameOther ? `${operation.name} exists with another expression: ${sameNameOther.definition}` : "no such CHECK";
    return { operation, status: steps.length === 0 ? "present" : keep || sameNameOther ? "partial" : "absent", found, steps };
  },
  async preflight(operation, { client, live, migration, addedColumns }) {
    if (!operation.validated || !tableExists(live, operation.table)) return [];
    const base = { id: `violations:${tableName(operation.table)}.${operation.name}`, migration, operationId: operation.id, check: "violations" as const, table: tableName(operation.table), columns: operation.columns };
    if (operation.columns.some((column) => addedColumns.some((a) => sameTable(a.table, operation.table) && a.column === column))) {
      return [{ ...base, count: 0, sampleKeys: [], passed: true, sql: "", message: `the CHECK reads a column this migration adds; existing rows are checked when it is validated` }];
    }
    // A CHECK passes when its expression is true or NULL: the violations are the rows where it is false.
    const fromWhere = `FROM ${quoteTable(operation.table)} AS t WHERE NOT (${operation.expressionSql})`;
    return [await countedCheck(client, base, fromWhere, rowKeySql(live, operation.table, "t"), (count) =>
      count === 0
        ? `every row of ${tableName(operation.table)} satisfies ${operation.name}`
        : `${rowsText(count)} of ${tableName(operation.table)} violate CHECK ${operation.name} (${operation.expressionSql}); fix them with a declared repair first, or adding the constraint would reject the application's writes of the same values`,
    )];
  },
  managedObjects(operation, structures) {
    const names = new Set([operation.name, withSuffix(operation.name, "_new")]);
    for (const structure of structures) {
      for (const check of structure.constraints) if (check.kind === "c" && sameTable(check, operation.table) && liveCheckKey(check.definition) === operation.expressionKey) names.add(check.name);
    }
    return [...names].map((name) => ({ kind: "constraint" as const, name: `${tableName(operation.table)}.${name}` }));
  },
  alternative: () => undefined,
};
