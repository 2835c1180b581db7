import { defineConfig, env } from "prisma/config";

// The shop example, configured as Prisma's documentation shows. The toolkit finds the schema and the
// migrations here (`--config examples/shop/prisma.config.ts`); its own database default applies as for
// every command (DATABASE_URL, else the embedded PostgreSQL).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: env("DATABASE_URL") },
});
