export { createMigration, ensureLockFile, RECHECK, validateMigrationName, type CreateOptions, type CreateResult } from "./create.ts";
export { checkMigration, migrationToCheck, type CheckOptions } from "./check.ts";
export { EXTENSION_OBJECTS, extensionProviding, missingObjectOf } from "./extension-objects.ts";
export { historyTemplate } from "./history-template.ts";
