export {
  connectClient,
  databaseName,
  parseDatabaseUrl,
  quoteIdent,
  toConnectionError,
  withClient,
  withDatabase,
  type ConnectionFields,
} from "./connect.ts";
export { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
export {
  acquireDatabase,
  DEFAULT_DATABASE_NAME,
  DEFAULT_EMBEDDED_PORT,
  type DatabaseHandle,
} from "./acquire.ts";
export { createScratchDatabase, dropDatabase, ensureDatabase, type ScratchDatabase } from "./scratch.ts";
export { findWorkspaceRoot } from "./workspace-root.ts";
