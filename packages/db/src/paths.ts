import { fileURLToPath } from "node:url";

const at = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** Where the model and its migration history live, for tools that read them. */
export const dbPackagePaths = {
  root: at("../"),
  schema: at("../prisma/schema.prisma"),
  migrations: at("../prisma/migrations"),
  config: at("../prisma.config.ts"),
  /**
   * The pre-fix production structure: the baseline migration, which is SoleFlip's schema-only dump
   * (shared/soleflip/legacy-schema.sql) without its session settings.
   */
  legacySchema: at("../prisma/migrations/20251117000000_baseline/migration.sql"),
} as const;
