import type { LiveConstraint, LiveSchema } from "@soleflip/catalog";
import { quoteIdent, type Node } from "@soleflip/sql";
import { statementsOf, type Fragment, type Fragments } from "../fragments.ts";
import { tableName, type EnsureNotNull } from "../operations.ts";
import { countedCheck, rowsText } from "../preflight-query.ts";
import { findColumn, namesOf, quoteTable, rowKeySql, sameTable } from "../sql-parts.ts";
import { ddlStep, dropConstraintSql, validationStep, withSuffix } from "../steps.ts";
import type { ManagedObject, OperationModule, PlanContext, PlannedOperation, Step, TableRef } from "../types.ts";

/** PostgreSQL 18 can add a NOT NULL constraint NOT VALID and validate it without blocking writes. */
const NOT_NULL_NOT_VALID_SINCE = 180_000;

/**
 * The column is NOT NULL. Plain SET NOT NULL scans the table under ACCESS EXCLUSIVE; instead, on
 * PostgreSQL 18 a NOT NULL constraint is added NOT VALID and validated (no ACCESS EXCLUSIVE scan, and
 * never SET NOT NULL over an invalid one, which would validate it under ACCESS EXCLUSIVE); before 18 a
 * CHECK (column IS NOT NULL) is added NOT VALID, validated, and then SET NOT NULL needs no scan.
 */
export const ensureNotNull: OperationModule<"ensure-not-null"> = {
  kind: "ensure-not-null",
  summary: "A column is NOT NULL: PostgreSQL 18's NOT NULL … NOT VALID + VALIDATE, or a validated CHECK before SET NOT NULL.",
  recognise(fragments) {
    const claimed = new Set<Fragment>();
    for (const set of fragments.alterCommands("AT_SetNotNull")) {
      const column = set.alter.cmd.name ?? "";
      const absorbed = [set, ...helperFragments(fragments, set.alter.table, column)];
      absorbed.forEach((f) => claimed.add(f));
      fragments.claim(absorbed, operationFor(set.alter.table, column, absorbed), set);
    }
    // PostgreSQL 18's own form: ADD CONSTRAINT <name> NOT NULL <column> [NOT VALID], VALIDATE.
    for (const add of fragments.alterCommands("AT_AddConstraint")) {
      const def = add.alter.cmd.def;
      const constraint = def && "Constraint" in def ? def.Constraint : undefined;
      if (constraint?.contype !== "CONSTR_NOTNULL" || claimed.has(add)) continue;
      const column = namesOf(constraint.keys)[0] ?? "";
      const absorbed: Fragment[] = [add];
      for (const validate of fragments.alterCommands("AT_ValidateConstraint")) {
        if (sameTable(validate.alter.table, add.alter.table) && validate.alter.cmd.name === constraint.conname) absorbed.push(validate);
      }
      // NOT VALID without a VALIDATE in the same migration is not an end state we can ensure: leave it raw.
      if (constraint.skip_validation && absorbed.length === 1) continue;
      fragments.claim(absorbed, operationFor(add.alter.table, column, absorbed), add);
    }
  },
  plan: planNotNull,
  async preflight(operation, { client, live, migration, pending, addedColumns }) {
    if (!findColumn(live, operation.table, operation.column)) return [];
    const added = addedColumns.find((a) => sameTable(a.table, operation.table) && a.column === operation.column);
    if (added) return [];
    const covering = pending.filter((op) => op.kind === "repair" && sameTable(op.table, operation.table) && op.setsColumns.includes(operation.column));
    const excluded = covering.map((repair) => (repair.kind === "repair" ? ` AND t.ctid NOT IN (${repair.affectedRowsSql})` : "")).join("");
    const fromWhere = `FROM ${quoteTable(operation.table)} AS t WHERE t.${quoteIdent(operation.column)} IS NULL${excluded}`;
    const repaired = covering.length > 0 ? ` after repair ${covering.map((r) => (r.kind === "repair" ? r.repairId : "")).join(", ")}` : "";
    const identity = { id: `nulls:${tableName(operation.table)}.${operation.column}`, migration, operationId: operation.id, check: "nulls" as const, table: tableName(operation.table), columns: [operation.column] };
    return [
      await countedCheck(client, identity, fromWhere, rowKeySql(live, operation.table, "t"), (count) =>
        count === 0
          ? `no NULL ${operation.column} would remain${repaired}`
          : `${rowsText(count)} of ${tableName(operation.table)} would keep a NULL ${operation.column}${repaired}; declare a repair (-- migrator:repair) that fills them, or keep the column optional`,
      ),
    ];
  },
  managedObjects(operation, structures) {
    const { schema, table } = operation.table;
    const objects: ManagedObject[] = [{ kind: "column", name: `${schema}.${table}.${operation.column}` }];
    for (const structure of structures) {
      for (const check of structure.constraints) {
        if (sameTable(check, operation.table) && isNotNullCheck(check, operation.column)) objects.push({ kind: "constraint", name: `${schema}.${table}.${check.name}` });
      }
    }
    return objects;
  },
  alternative: () => undefined,
};

function operationFor(table: TableRef, column: string, absorbed: Fragment[]): EnsureNotNull {
  return { kind: "ensure-not-null", id: `ensure-not-null:${tableName(table)}.${column}`, statements: statementsOf(absorbed), table, column };
}

/** The online-safe spelling's helper CHECK (column IS NOT NULL), with its VALIDATE and DROP. */
function helperFragments(fragments: Fragments, table: TableRef, column: string): Fragment[] {
  const found: Fragment[] = [];
  for (const add of fragments.alterCommands("AT_AddConstraint")) {
    const def = add.alter.cmd.def;
    const constraint = def && "Constraint" in def ? def.Constraint : undefined;
    if (!constraint?.conname || constraint.contype !== "CONSTR_CHECK" || !sameTable(add.alter.table, table) || !isNullTestOn(constraint.raw_expr, column)) continue;
    found.push(add);
    for (const other of fragments.alterCommands("AT_ValidateConstraint", "AT_DropConstraint")) {
      if (sameTable(other.alter.table, table) && other.alter.cmd.name === constraint.conname) found.push(other);
    }
  }
  return found;
}

function isNullTestOn(expr: Node | undefined, column: string): boolean {
  if (!expr || !("NullTest" in expr) || expr.NullTest.nulltesttype !== "IS_NOT_NULL") return false;
  const arg = expr.NullTest.arg;
  const fields = arg && "ColumnRef" in arg ? namesOf(arg.ColumnRef.fields) : [];
  return fields.length === 1 && fields[0] === column;
}

/** A CHECK constraint that says exactly `column IS NOT NULL` (pg_get_constraintdef's rendering). */
export function isNotNullCheck(constraint: Pick<LiveConstraint, "kind" | "definition">, column: string): boolean {
  if (constraint.kind !== "c") return false;
  const definition = constraint.definition.replace(/ NOT VALID$/, "");
  return definition === `CHECK ((${quoteIdent(column)} IS NOT NULL))`;
}

function planNotNull(operation: EnsureNotNull, context: PlanContext): PlannedOperation {
  const { live } = context;
  const column = findColumn(live, operation.table, operation.column);
  const checks = live.constraints.filter((c) => sameTable(c, operation.table) && isNotNullCheck(c, operation.column));
  const dropChecks = (names: string[]) => names.map((name) => dropConstraintSql(operation.table, name));
  if (column?.notNull) {
    if (checks.length === 0) return { operation, status: "present", found: "column is already NOT NULL", steps: [] };
    return {
      operation,
      status: "partial",
      found: `column is NOT NULL; helper CHECK ${checks.map((c) => c.name).join(", ")} left over`,
      steps: [ddlStep("drop the helper CHECK", dropChecks(checks.map((c) => c.name)), operation.table, "ACCESS EXCLUSIVE")],
    };
  }
  // A helper CHECK already started (an earlier run, or a hand fix) is finished; otherwise PostgreSQL 18's own form.
  const validatedCheck = checks.find((c) => c.validated);
  if (context.serverVersionNum >= NOT_NULL_NOT_VALID_SINCE && (checks.length === 0 || column?.invalidNotNull)) return planNotNullConstraint(operation, live, column?.invalidNotNull ?? null, checks);

  const steps: Step[] = [];
  const existing = validatedCheck ?? checks[0];
  const checkName = existing?.name ?? withSuffix(`${operation.table.table}_${operation.column}`, "_not_null_check");
  if (!existing) {
    steps.push(
      ddlStep(
        `add CHECK (${operation.column} IS NOT NULL) NOT VALID`,
        [`ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(checkName)} CHECK (${quoteIdent(operation.column)} IS NOT NULL) NOT VALID`],
        operation.table,
        "ACCESS EXCLUSIVE",
      ),
    );
  }
  if (!existing?.validated) steps.push(validationStep(operation.table, checkName));
  steps.push(
    ddlStep(
      "SET NOT NULL (proved by the validated CHECK, no scan) and drop the CHECK",
      [`ALTER TABLE ${quoteTable(operation.table)} ALTER COLUMN ${quoteIdent(operation.column)} SET NOT NULL`, ...dropChecks([...new Set([...checks.map((c) => c.name), checkName])])],
      operation.table,
      "ACCESS EXCLUSIVE",
    ),
  );
  return {
    operation,
    status: existing ? "partial" : "absent",
    found: column ? `column is nullable${existing ? `; CHECK ${existing.name} exists${existing.validated ? "" : " NOT VALID"}` : ""}` : "column not found (added earlier in this run?)",
    steps,
  };
}

function planNotNullConstraint(operation: EnsureNotNull, live: LiveSchema, invalid: string | null, checks: readonly LiveConstraint[]): PlannedOperation {
  const steps: Step[] = [];
  const name = invalid ?? withSuffix(`${operation.table.table}_${operation.column}`, "_not_null");
  if (!invalid) {
    steps.push(
      ddlStep(
        `add NOT NULL ${operation.column} NOT VALID (checks new rows only)`,
        [`ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(name)} NOT NULL ${quoteIdent(operation.column)} NOT VALID`],
        operation.table,
        "ACCESS EXCLUSIVE",
      ),
    );
  }
  // Never SET NOT NULL over an invalid NOT NULL constraint: that validates it under ACCESS EXCLUSIVE.
  steps.push(validationStep(operation.table, name));
  if (checks.length > 0) steps.push(ddlStep("drop the helper CHECK", checks.map((c) => dropConstraintSql(operation.table, c.name)), operation.table, "ACCESS EXCLUSIVE"));
  const column = findColumn(live, operation.table, operation.column);
  return {
    operation,
    status: invalid ? "partial" : "absent",
    found: column ? (invalid ? `NOT NULL constraint ${invalid} exists NOT VALID` : "column is nullable") : "column not found (added earlier in this run?)",
    steps,
  };
}
