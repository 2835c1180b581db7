export { loadProject, readSchemaFiles, type PrismaProject, type ProjectOptions } from "./project.ts";
export { readCriticalQueries, readCriticalQuery, type CriticalQuery } from "./critical-queries.ts";
export { runSeed, type SeedOptions } from "./seed.ts";
export { demoVariantsPath, readDemoVariants, type DemoVariant } from "./demo-variants.ts";
