import { fileURLToPath } from "node:url";

const at = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** Where the model and its migration history live, for tools that read them. */
export const dbPackagePaths = {
  root: at("../"),
  schema: at("../prisma/schema.prisma"),
  migrations: at("../prisma/migrations"),
  config: at("../prisma.config.ts"),
  /** The pre-fix production structure (schema-only dump), the baseline's source. */
  legacySchema: at("../prisma/sql/legacy-schema.sql"),
} as const;
