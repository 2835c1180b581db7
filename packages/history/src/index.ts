export { checksumOf, listLocalMigrations, readLocalMigrations, type LocalMigration, type LocalMigrationFile } from "./local-migrations.ts";
export {
  ensureHistoryTable,
  historyTableExists,
  readHistory,
  recordAdopted,
  recordFailed,
  recordFinished,
  recordRolledBack,
  recordStarted,
  markRolledBack,
  type HistoryRow,
} from "./prisma-migrations-table.ts";
export { carryOverJournal, clearLegacyJournal, journalInsert, journalProgress, journaledSteps, type Journal } from "./journal.ts";
