export {
  connectClient,
  databaseName,
  parseDatabaseUrl,
  toConnectionError,
  withClient,
  withDatabase,
  type ConnectionFields,
  type ConnectOptions,
} from "./connect.ts";
export { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
export { DEFAULT_MAJOR, isSupportedMajor, parseMajor, postgresBinaries, SUPPORTED_MAJORS, type PostgresMajor } from "./binaries.ts";
export { embeddedMajor, embeddedPort, embeddedDataDir } from "./defaults.ts";
export {
  acquireDatabase,
  acquireScratchServer,
  DEFAULT_DATABASE_NAME,
  DEFAULT_EMBEDDED_PORT,
  type DatabaseHandle,
  type ScratchServer,
} from "./acquire.ts";
export { createScratchDatabase, ensureDatabase, takeSpareDatabase, type ScratchDatabase } from "./scratch.ts";
export {
  createOwnedDatabase,
  databaseState,
  dropOwnedDatabase,
  notOwned,
  recreateOwnedDatabase,
  renameOwnedDatabase,
  sweepAbandonedScratch,
  type DatabaseState,
  type Ownership,
  type Purpose,
} from "./ownership.ts";
export { assertSessionConnection, transactionPoolingEvidence } from "./pooler.ts";
export { createStandby, dropAbandonedStandbySlots, type Standby } from "./standby.ts";
export { findWorkspaceRoot } from "./workspace-root.ts";
export { serverVersionNum } from "./server-version.ts";
