import { defineConfig } from "prisma/config";

/**
 * Prisma's configuration for the SoleFlip model. The URL comes from DATABASE_URL (the migrator and the
 * scripts set it to the embedded database when it is not given); commands that need no database
 * (generate, validate, format) work without it.
 */
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env["DATABASE_URL"] ?? "",
    ...(process.env["SHADOW_DATABASE_URL"] ? { shadowDatabaseUrl: process.env["SHADOW_DATABASE_URL"] } : {}),
  },
});
