export type {
  AddColumn,
  AlterColumnType,
  DropIndex,
  EnsureCheck,
  EnsureForeignKey,
  EnsureIndex,
  EnsureNotNull,
  EnsureUniqueConstraint,
  Operation,
  OperationKind,
  OperationOf,
  Raw,
  Repair,
  ReplaceEnum,
} from "./operations.ts";
export { tableName } from "./operations.ts";
export {
  blocksWrites,
  HAZARDS,
  HAZARDS_NEEDING_ACKNOWLEDGEMENT,
  LOCK_MODES,
  lockStrength,
  strongestLock,
  type AddedColumn,
  type BatchedUpdate,
  type Hazard,
  type LockMode,
  type ManagedObject,
  type OperationModule,
  type OperationStatus,
  type PlanContext,
  type PlannedOperation,
  type PreflightCheck,
  type PreflightResult,
  type Step,
  type TableRef,
} from "./types.ts";
export { isGate, recogniseOperations, type Recognised } from "./recognise.ts";
export { OPERATIONS, RECOGNITION_ORDER, actedOnEarlier, alternativeFor, managedObjectsOf, planOperation, preflightOperation } from "./registry.ts";
export { acknowledgedHazards, addedColumnsOf, hazardResult, runPreflight, unacknowledgedHazards, type PendingPlan } from "./preflight.ts";
export { renderOnlineSafeSql, renderOnlineSafeSqlStepwise, type RenderDatabase } from "./render-sql.ts";
export { indexKey, liveIndexKey, liveCheckKey, expressionKey } from "./equivalence.ts";
export { statementLocks, type TableLock } from "./locks.ts";
export { isNotNullCheck } from "./operations/ensure-not-null.ts";
export { quoteTable, UNQUALIFIED_SCHEMA } from "./sql-parts.ts";
export { formatTypeName, typeChangeRewrites } from "./column-types.ts";
