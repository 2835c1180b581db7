import { fileURLToPath } from "node:url";
import type { PrismaProject } from "@soleflip/project";

const at = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * SoleFlip's project: the model and its history live at the repository's top-level prisma/ (where
 * Prisma looks by default, with prisma.config.ts beside it); this package generates the client from it.
 */
export const soleflipProject: PrismaProject = {
  root: at("../../../"),
  configPath: at("../../../prisma.config.ts"),
  schemaPath: at("../../../prisma/schema.prisma"),
  migrationsDir: at("../../../prisma/migrations"),
  queriesDir: at("../../../prisma/queries"),
  seedPath: at("../../../prisma/demo/seed.sql"),
};

/** Where the model and its migration history live, for tools and tests that read them. */
export const dbPackagePaths = {
  root: soleflipProject.root,
  schema: soleflipProject.schemaPath,
  migrations: soleflipProject.migrationsDir,
  config: at("../../../prisma.config.ts"),
  /**
   * The pre-fix production structure: the baseline migration, which is SoleFlip's schema-only dump
   * (shared/soleflip/legacy-schema.sql) without its session settings.
   */
  legacySchema: at("../../../prisma/migrations/20251117000000_baseline/migration.sql"),
} as const;

/** A prisma.config.ts for a copy of SoleFlip's prisma/ folder: Prisma's defaults, nothing of this repository's. */
export const PLAIN_PRISMA_CONFIG = 'export default { schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, datasource: { url: process.env["DATABASE_URL"] ?? "" } };\n';
