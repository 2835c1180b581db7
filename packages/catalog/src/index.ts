export { catalogSql, catalogSqlAsRun } from "./load-sql.ts";
export {
  listModelSchemas,
  listSequences,
  listUserSchemas,
  qualified,
  readLiveSchema,
  readWholeLiveSchema,
  withoutLeafPartitions,
  REFERENTIAL_ACTION_NAMES,
  type LiveColumn,
  type LiveConstraint,
  type LiveEnum,
  type LiveForeignKey,
  type LiveIndex,
  type LiveSchema,
  type LiveTable,
  type ReferentialAction,
} from "./live-schema.ts";
export { diffSnapshots, readSnapshot, type SnapshotDifference, type SnapshotRow } from "./snapshot.ts";
export { countSessionsWaitingOnMe, describeBlocker, readLockWait, readServerGuards, type BlockingSession, type GuardName, type LockWait, type ServerGuard } from "./sessions.ts";
