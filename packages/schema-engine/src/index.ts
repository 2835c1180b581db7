export { callEngine, openSchemaEngine, SchemaEngineError, toSchemaEngineError, type OpenEngineOptions, type OpenedSchemaEngine, type WasmSchemaEngine } from "./engine.ts";
export { readMigrationList, noSchemaFilter, PRISMA_LOCK_FILE, type MigrationList } from "./migration-list.ts";
export { PgMigrationAdapterFactory } from "./pg-adapter.ts";
export { offlinePrismaEnv, prismaCliEntry, runPrisma, schemaEngineBinary, type PrismaRun } from "./prisma-cli.ts";
export { runStandIn, parseStandInArgs } from "./rpc-server.ts";
export { prismaDiff, type DiffOptions, type DiffSide } from "./diff.ts";
export { inheritedEnvironment } from "./env.ts";
export { preloadSchemaEngine } from "./wasm.ts";
export { locationsOf, userErrorOf, type SchemaLocation } from "./prisma-errors.ts";
