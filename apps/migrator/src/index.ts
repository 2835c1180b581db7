// The migrator as a library, for the verifier's main job and tests.
export { runMigrations, type RunEvent, type RunOptions } from "./apply/run-migrations.ts";
export { rollbackMigrations, type RollbackResult } from "./apply/rollback.ts";
export type { MigrationLog, OperationLog, RunLog, StepLog } from "./apply/run-log.ts";
export { readLocalMigrations, checksumOf, type LocalMigration } from "./history/local-migrations.ts";
export { readHistory, type HistoryRow } from "./history/prisma-migrations-table.ts";
export { indexKey, liveIndexKey } from "./plan/index-equivalence.ts";
export type { Operation, EnsureIndex, Raw } from "./plan/operations.ts";
export { renderEvent, renderRunText } from "./render/render-run.ts";
