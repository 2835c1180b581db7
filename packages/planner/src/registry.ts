import type { LiveSchema, LiveTable } from "@soleflip/catalog";
import type { Operation, OperationKind } from "./operations.ts";
import { partitionsOf } from "./sql-parts.ts";
import { addColumn } from "./operations/add-column.ts";
import { alterColumnType } from "./operations/alter-column-type.ts";
import { dropConstraint } from "./operations/drop-constraint.ts";
import { dropIndex } from "./operations/drop-index.ts";
import { ensureCheck } from "./operations/ensure-check.ts";
import { ensureForeignKey } from "./operations/ensure-foreign-key.ts";
import { ensureIndex } from "./operations/ensure-index.ts";
import { ensureNotNull } from "./operations/ensure-not-null.ts";
import { ensureNullable } from "./operations/ensure-nullable.ts";
import { ensureUniqueConstraint } from "./operations/ensure-unique-constraint.ts";
import { raw } from "./operations/raw.ts";
import { renameIndex } from "./operations/rename-index.ts";
import { repair } from "./operations/repair.ts";
import { replaceEnum } from "./operations/replace-enum.ts";
import { sessionSetting } from "./operations/session-setting.ts";
import { validateConstraint } from "./operations/validate-constraint.ts";
import type { ManagedObject, OperationModule, PlanContext, PlannedOperation, PreflightContext, PreflightResult, Step } from "./types.ts";

/** Every kind of operation, one module each. A kind without a module is a type error here. */
export const OPERATIONS: { readonly [K in OperationKind]: OperationModule<K> } = {
  "session-setting": sessionSetting,
  "replace-enum": replaceEnum,
  repair,
  "ensure-foreign-key": ensureForeignKey,
  "ensure-not-null": ensureNotNull,
  "ensure-check": ensureCheck,
  "ensure-unique-constraint": ensureUniqueConstraint,
  "ensure-nullable": ensureNullable,
  "ensure-index": ensureIndex,
  "drop-index": dropIndex,
  "rename-index": renameIndex,
  "add-column": addColumn,
  "alter-column-type": alterColumnType,
  "validate-constraint": validateConstraint,
  "drop-constraint": dropConstraint,
  raw,
};

/**
 * The order in which modules claim a migration's fragments: whole blocks and declared repairs first,
 * then the kinds that absorb several statements (a foreign key's add/validate/drop/rename, a NOT NULL's
 * helper CHECK) before the kinds that take single statements, and raw SQL last.
 */
export const RECOGNITION_ORDER: readonly OperationKind[] = [
  "session-setting",
  "replace-enum",
  "repair",
  // Before the key modules: an ALTER TABLE that drops and re-adds keys around a type change stays whole.
  "alter-column-type",
  "ensure-foreign-key",
  "ensure-not-null",
  "ensure-check",
  "ensure-unique-constraint",
  "ensure-nullable",
  "ensure-index",
  "drop-index",
  "rename-index",
  "add-column",
  "validate-constraint",
  "drop-constraint",
  "raw",
];

/** The module of an operation, typed for any operation (the one place the union is widened). */
function moduleOf(operation: Operation): OperationModule<OperationKind> {
  return OPERATIONS[operation.kind] as unknown as OperationModule<OperationKind>;
}

export function planOperation(operation: Operation, context: PlanContext): PlannedOperation {
  const planned = moduleOf(operation).plan(operation, context);
  return { ...planned, steps: planned.steps.map((step) => withPartitions(step, context.live)) };
}

/** ALTER TABLE and friends on a partitioned table lock every partition below it the same way: list them. */
function withPartitions(step: Step, live: LiveSchema): Step {
  if (step.onlyNamedTables) return step;
  const below = (table: LiveTable): LiveTable[] => partitionsOf(live, table).flatMap((partition) => [partition, ...below(partition)]);
  const tables = [...step.tables];
  for (const table of live.tables.filter((t) => t.partitioned && step.tables.includes(`${t.schema}.${t.table}`))) {
    for (const partition of below(table)) if (!tables.includes(`${partition.schema}.${partition.table}`)) tables.push(`${partition.schema}.${partition.table}`);
  }
  return tables.length === step.tables.length ? step : { ...step, tables };
}

export function preflightOperation(operation: Operation, context: PreflightContext): Promise<PreflightResult[]> {
  return moduleOf(operation).preflight(operation, context);
}

export function managedObjectsOf(operation: Operation, structures: readonly LiveSchema[]): ManagedObject[] {
  return moduleOf(operation).managedObjects(operation, structures);
}

export function alternativeFor(operation: Operation): string | undefined {
  return moduleOf(operation).alternative(operation);
}

/**
 * Operations of one run that act on an object an earlier operation of the same run acts on too (a
 * foreign key dropped, then added back): planned against the state before the run, they look done or
 * different, so they are planned again when reached.
 */
export function actedOnEarlier(operations: readonly Operation[], structures: readonly LiveSchema[]): Set<Operation> {
  const seen = new Set<string>();
  const later = new Set<Operation>();
  for (const operation of operations) {
    const objects = managedObjectsOf(operation, structures).map((object) => `${object.kind} ${object.name}`);
    if (objects.some((object) => seen.has(object))) later.add(operation);
    for (const object of objects) seen.add(object);
  }
  return later;
}
