import { REFERENTIAL_ACTION_NAMES, type LiveForeignKey, type LiveSchema } from "@soleflip/catalog";
import { indexKey, liveIndexKey } from "./index-equivalence.ts";
import {
  quoteIdent,
  quoteTable,
  tableName,
  type EnsureForeignKey,
  type EnsureIndex,
  type EnsureNotNull,
  type Hazard,
  type LockMode,
  type Operation,
  type TableRef,
} from "./operations.ts";

/** One unit of execution: statements run together (in one transaction when `transactional`). */
export interface Step {
  description: string;
  sql: string[];
  transactional: boolean;
  lock: LockMode;
  /** Tables whose locks the step takes; the first is the one `lock` applies to. */
  tables: string[];
  hazards: Hazard[];
  /** Long steps report progress: an index build (pg_stat_progress_create_index) or a validation scan. */
  progress?: { kind: "index-build"; index: string } | { kind: "validation"; table: string };
  /** Work that reports rows changed (repairs). */
  reportsRows?: boolean;
}

export type OperationStatus = "present" | "partial" | "absent" | "repair" | "raw" | "ignored";

export interface PlannedOperation {
  operation: Operation;
  status: OperationStatus;
  /** What was found, in words, e.g. "exists as stock_product_id_fkey with ON DELETE NO ACTION". */
  found: string;
  /** Set when the plan rebuilds an index an interrupted concurrent build left INVALID. */
  rebuildsInvalidIndex?: true;
  steps: Step[];
}

const MAX_IDENTIFIER = 63;

/**
 * Decides, from the live definitions, what an operation still has to do, and writes the online-safe
 * statements for it: foreign keys NOT VALID then VALIDATE then swapped in, NOT NULL through a validated
 * CHECK, indexes CONCURRENTLY, each locking statement short.
 */
export function planOperation(operation: Operation, live: LiveSchema): PlannedOperation {
  switch (operation.kind) {
    case "ensure-foreign-key":
      return planForeignKey(operation, live);
    case "ensure-not-null":
      return planNotNull(operation, live);
    case "ensure-nullable": {
      const column = findColumn(live, operation.table, operation.column);
      if (column && !column.notNull) return { operation, status: "present", found: "column is already nullable", steps: [] };
      return {
        operation,
        status: "absent",
        found: column ? "column is NOT NULL" : "column not found (created earlier in this run?)",
        steps: [ddl(`drop NOT NULL on ${tableName(operation.table)}.${operation.column}`, [`ALTER TABLE ${quoteTable(operation.table)} ALTER COLUMN ${quoteIdent(operation.column)} DROP NOT NULL`], operation.table, "ACCESS EXCLUSIVE")],
      };
    }
    case "ensure-index":
      return planIndex(operation, live);
    case "validate-constraint": {
      const fk = live.foreignKeys.find((k) => sameTable(k, operation.table) && k.name === operation.name);
      const check = live.constraints.find((c) => sameTable(c, operation.table) && c.name === operation.name);
      const validated = fk?.validated ?? check?.validated;
      if (validated === true) return { operation, status: "present", found: `${operation.name} is already validated`, steps: [] };
      if (validated === undefined) {
        return { operation, status: "absent", found: `constraint ${operation.name} not found`, steps: [ddl(`validate ${operation.name}`, [validateSql(operation.table, operation.name)], operation.table, "SHARE UPDATE EXCLUSIVE")] };
      }
      return { operation, status: "partial", found: `${operation.name} exists NOT VALID`, steps: [validation(operation.table, operation.name)] };
    }
    case "drop-constraint": {
      const exists =
        live.foreignKeys.some((k) => sameTable(k, operation.table) && k.name === operation.name) ||
        live.constraints.some((c) => sameTable(c, operation.table) && c.name === operation.name);
      if (!exists) return { operation, status: "present", found: `${operation.name} is already gone`, steps: [] };
      return { operation, status: "absent", found: `${operation.name} exists`, steps: [ddl(`drop constraint ${operation.name}`, [dropConstraintSql(operation.table, operation.name)], operation.table, "ACCESS EXCLUSIVE")] };
    }
    case "repair":
      return {
        operation,
        status: "repair",
        found: `declared repair; why: ${operation.why}`,
        steps: [{ description: `repair ${operation.repairId}`, sql: [operation.sql], transactional: true, lock: "ROW EXCLUSIVE", tables: [tableName(operation.table)], hazards: ["BACKFILLS_DATA"], reportsRows: true }],
      };
    case "raw":
      return {
        operation,
        status: "raw",
        found: `${operation.statements.length} statement(s) run as written`,
        steps: [{
          description: `${operation.statements.length} statement(s) as written${operation.transactional ? " (one transaction)" : ""}`,
          sql: operation.statements.map((statement) => statement.text),
          transactional: operation.transactional,
          lock: "ACCESS EXCLUSIVE",
          tables: operation.tables.map(tableName),
          hazards: operation.hazards,
        }],
      };
    case "session-setting":
      return { operation, status: "ignored", found: "session settings are managed by the runner (--lock-timeout)", steps: [] };
  }
}

function sameTable(object: { schema: string; table: string }, ref: TableRef): boolean {
  return object.schema === ref.schema && object.table === ref.table;
}

function findColumn(live: LiveSchema, ref: TableRef, name: string) {
  return live.columns.find((column) => sameTable(column, ref) && column.name === name);
}

function ddl(description: string, sql: string[], table: TableRef, lock: LockMode, extraTables: TableRef[] = []): Step {
  return {
    description,
    sql,
    transactional: true,
    lock,
    tables: [tableName(table), ...extraTables.map(tableName)],
    hazards: lock === "ACCESS EXCLUSIVE" ? ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK"] : [],
  };
}

function validation(table: TableRef, name: string): Step {
  return {
    description: `validate ${name} (scans ${tableName(table)}; reads and writes continue)`,
    sql: [validateSql(table, name)],
    transactional: false,
    lock: "SHARE UPDATE EXCLUSIVE",
    tables: [tableName(table)],
    hazards: ["VALIDATES_CONSTRAINT"],
    progress: { kind: "validation", table: tableName(table) },
  };
}

const validateSql = (table: TableRef, name: string) => `ALTER TABLE ${quoteTable(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}`;
const dropConstraintSql = (table: TableRef, name: string) => `ALTER TABLE ${quoteTable(table)} DROP CONSTRAINT ${quoteIdent(name)}`;

function resolvedRefColumns(operation: EnsureForeignKey, live: LiveSchema): string[] {
  if (operation.refColumns.length > 0) return operation.refColumns;
  const primary = live.constraints.find((c) => sameTable(c, operation.ref) && c.kind === "p");
  return primary?.columns ?? ["id"];
}

function describeForeignKey(fk: LiveForeignKey): string {
  return `${fk.name} (ON DELETE ${REFERENTIAL_ACTION_NAMES[fk.onDelete]} ON UPDATE ${REFERENTIAL_ACTION_NAMES[fk.onUpdate]}${fk.validated ? "" : ", NOT VALID"})`;
}

function planForeignKey(operation: EnsureForeignKey, live: LiveSchema): PlannedOperation {
  const refColumns = resolvedRefColumns(operation, live);
  const onSameColumns = live.foreignKeys.filter(
    (fk) => sameTable(fk, operation.table) && fk.columns.join(",") === operation.columns.join(","),
  );
  const matches = (fk: LiveForeignKey) =>
    fk.refSchema === operation.ref.schema &&
    fk.refTable === operation.ref.table &&
    fk.refColumns.join(",") === refColumns.join(",") &&
    fk.onDelete === operation.onDelete &&
    fk.onUpdate === operation.onUpdate;
  const matching = onSameColumns.filter(matches).sort((a, b) => Number(b.name === operation.name) - Number(a.name === operation.name) || Number(b.validated) - Number(a.validated));
  const keep = matching[0];
  const others = onSameColumns.filter((fk) => fk !== keep);
  const found = onSameColumns.length === 0 ? "no foreign key on these columns" : `found ${onSameColumns.map(describeForeignKey).join(", ")}`;
  const steps: Step[] = [];
  let current = keep?.name;

  if (!keep) {
    const nameTaken =
      live.foreignKeys.some((fk) => sameTable(fk, operation.table) && fk.name === operation.name) ||
      live.constraints.some((c) => sameTable(c, operation.table) && c.name === operation.name);
    current = nameTaken ? `${operation.name.slice(0, MAX_IDENTIFIER - 4)}_new` : operation.name;
    steps.push(
      ddl(
        `add ${current} NOT VALID (checks new rows only)`,
        [
          `ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(current)} FOREIGN KEY (${operation.columns.map(quoteIdent).join(", ")}) ` +
            `REFERENCES ${quoteTable(operation.ref)} (${refColumns.map(quoteIdent).join(", ")}) ` +
            `ON DELETE ${REFERENTIAL_ACTION_NAMES[operation.onDelete]} ON UPDATE ${REFERENTIAL_ACTION_NAMES[operation.onUpdate]} NOT VALID`,
        ],
        operation.table,
        "SHARE ROW EXCLUSIVE",
        [operation.ref],
      ),
    );
  }
  if (operation.validated && !keep?.validated) steps.push(validation(operation.table, current ?? operation.name));
  const swap: string[] = others.map((fk) => dropConstraintSql(operation.table, fk.name));
  if (current !== operation.name) {
    swap.push(`ALTER TABLE ${quoteTable(operation.table)} RENAME CONSTRAINT ${quoteIdent(current ?? "")} TO ${quoteIdent(operation.name)}`);
  }
  if (swap.length > 0) {
    steps.push(ddl(`swap in ${operation.name}${others.length ? `, dropping ${others.map((fk) => fk.name).join(", ")}` : ""}`, swap, operation.table, "ACCESS EXCLUSIVE", [operation.ref]));
  }
  const status = steps.length === 0 ? "present" : keep || onSameColumns.length > 0 ? "partial" : "absent";
  return { operation, status, found, steps };
}

function planNotNull(operation: EnsureNotNull, live: LiveSchema): PlannedOperation {
  const column = findColumn(live, operation.table, operation.column);
  const checks = live.constraints.filter((c) => sameTable(c, operation.table) && isNotNullCheck(c, operation.column));
  if (column?.notNull) {
    if (checks.length === 0) return { operation, status: "present", found: "column is already NOT NULL", steps: [] };
    return {
      operation,
      status: "partial",
      found: `column is NOT NULL; helper CHECK ${checks.map((c) => c.name).join(", ")} left over`,
      steps: [ddl("drop the helper CHECK", checks.map((c) => dropConstraintSql(operation.table, c.name)), operation.table, "ACCESS EXCLUSIVE")],
    };
  }
  const steps: Step[] = [];
  const existing = checks.sort((a, b) => Number(b.validated) - Number(a.validated))[0];
  const checkName = existing?.name ?? `${operation.table.table}_${operation.column}_not_null_check`.slice(0, MAX_IDENTIFIER);
  if (!existing) {
    steps.push(
      ddl(
        `add CHECK (${operation.column} IS NOT NULL) NOT VALID`,
        [`ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(checkName)} CHECK (${quoteIdent(operation.column)} IS NOT NULL) NOT VALID`],
        operation.table,
        "ACCESS EXCLUSIVE",
      ),
    );
  }
  if (!existing?.validated) steps.push(validation(operation.table, checkName));
  steps.push(
    ddl(
      `SET NOT NULL (proved by the validated CHECK, no scan) and drop the CHECK`,
      [
        `ALTER TABLE ${quoteTable(operation.table)} ALTER COLUMN ${quoteIdent(operation.column)} SET NOT NULL`,
        ...checks.map((c) => dropConstraintSql(operation.table, c.name)),
        ...(existing ? [] : [dropConstraintSql(operation.table, checkName)]),
      ],
      operation.table,
      "ACCESS EXCLUSIVE",
    ),
  );
  return {
    operation,
    status: existing ? "partial" : "absent",
    found: column ? `column is nullable${existing ? `; CHECK ${existing.name} exists${existing.validated ? "" : " NOT VALID"}` : ""}` : "column not found",
    steps,
  };
}

/** A CHECK constraint that says exactly `column IS NOT NULL` (pg_get_constraintdef's rendering). */
export function isNotNullCheck(constraint: { kind: string; definition: string }, column: string): boolean {
  if (constraint.kind !== "c") return false;
  const definition = constraint.definition.replace(/ NOT VALID$/, "");
  return definition === `CHECK ((${quoteIdent(column)} IS NOT NULL))` || definition === `CHECK ((${column} IS NOT NULL))`;
}

function planIndex(operation: EnsureIndex, live: LiveSchema): PlannedOperation {
  const wanted = indexKey(operation.node);
  const onTable = live.indexes.filter((index) => sameTable(index, operation.table));
  const sameName = onTable.find((index) => index.name === operation.name);
  const equivalent = onTable.filter((index) => liveIndexKey(index.definition) === wanted);
  const build: Step = {
    description: `build ${operation.name} CONCURRENTLY (reads and writes continue)`,
    sql: [operation.createSql],
    transactional: false,
    lock: "SHARE UPDATE EXCLUSIVE",
    tables: [tableName(operation.table)],
    hazards: ["INDEX_BUILD", "NON_TRANSACTIONAL"],
    progress: { kind: "index-build", index: `${operation.table.schema}.${operation.name}` },
  };
  const dropConcurrently = (name: string): Step => ({
    description: `drop ${name} CONCURRENTLY`,
    sql: [`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(operation.table.schema)}.${quoteIdent(name)}`],
    transactional: false,
    lock: "SHARE UPDATE EXCLUSIVE",
    tables: [tableName(operation.table)],
    hazards: ["NON_TRANSACTIONAL"],
  });

  if (sameName && equivalent.includes(sameName)) {
    if (sameName.valid && sameName.ready) return { operation, status: "present", found: `${operation.name} exists with the same definition`, steps: [] };
    return { operation, status: "partial", found: `${operation.name} exists but is INVALID (an interrupted concurrent build)`, steps: [dropConcurrently(operation.name), build], rebuildsInvalidIndex: true };
  }
  const validOther = equivalent.find((index) => index.valid && index.ready && !index.backsConstraint);
  if (!sameName && validOther) {
    return {
      operation,
      status: "partial",
      found: `the same index exists as ${validOther.name}`,
      steps: [{
        description: `rename ${validOther.name} to ${operation.name}`,
        sql: [`ALTER INDEX ${quoteIdent(operation.table.schema)}.${quoteIdent(validOther.name)} RENAME TO ${quoteIdent(operation.name)}`],
        transactional: true,
        lock: "SHARE UPDATE EXCLUSIVE",
        tables: [tableName(operation.table)],
        hazards: [],
      }],
    };
  }
  if (sameName) {
    return { operation, status: "partial", found: `${operation.name} exists with another definition: ${sameName.definition}`, steps: [dropConcurrently(operation.name), build] };
  }
  return { operation, status: "absent", found: "no such index", steps: [build] };
}
