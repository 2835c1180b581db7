import { defineConfig } from "prisma/config";
import { defaultDatabaseUrl, defaultShadowDatabaseUrl } from "@soleflip/postgres/defaults";
import { useOfflineEngine } from "@soleflip/schema-engine/config";

/**
 * SoleFlip's Prisma project: the model and its history in prisma/, where Prisma looks by default, so
 * `npx prisma <command>` works from the repository root. The engine is Prisma's own, compiled to
 * WebAssembly (no binary download); the database is DATABASE_URL, else the embedded PostgreSQL that
 * every other command uses (`pnpm prisma …` starts it on demand; for `npx prisma`, keep `pnpm db:up`
 * running).
 */
useOfflineEngine();

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: defaultDatabaseUrl(),
    ...(defaultShadowDatabaseUrl() ? { shadowDatabaseUrl: defaultShadowDatabaseUrl() } : {}),
  },
});
