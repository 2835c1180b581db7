export { createDbClient, type SoleFlipClient } from "./client.ts";
export { dbPackagePaths, soleflipProject } from "./paths.ts";
export { runDbPrisma } from "./prisma.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/models.ts";
export * from "./generated/prisma/enums.ts";
