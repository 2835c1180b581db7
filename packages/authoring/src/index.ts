export { createMigration, validateMigrationName, type CreateOptions, type CreateResult } from "./create.ts";
export { historyTemplate } from "./history-template.ts";
