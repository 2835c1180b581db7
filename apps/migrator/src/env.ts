import { z } from "zod";
import { parseEnv } from "@soleflip/core";

/** The one place the migrator reads the environment. */
const schema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  SHADOW_DATABASE_URL: z.string().min(1).optional(),
  /** A direct connection for runs that need a session of their own, when DATABASE_URL goes through a pooler. */
  DIRECT_DATABASE_URL: z.string().min(1).optional(),
  SOLEFLIP_PG_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  SOLEFLIP_PG_DATA_DIR: z.string().min(1).optional(),
  /** Where run folders go (default: <repository>/reports). */
  SOLEFLIP_REPORTS_DIR: z.string().min(1).optional(),
  NO_COLOR: z.string().optional(),
  CI: z.string().optional(),
});

export type MigratorEnv = z.infer<typeof schema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): MigratorEnv {
  return parseEnv(schema, source, "migrator");
}

/** Where and on which port the embedded PostgreSQL runs, when DATABASE_URL is not set. */
export function embeddedSettings(env: { SOLEFLIP_PG_PORT?: number | undefined; SOLEFLIP_PG_DATA_DIR?: string | undefined }): { port?: number; dataDir?: string } {
  return { ...(env.SOLEFLIP_PG_PORT ? { port: env.SOLEFLIP_PG_PORT } : {}), ...(env.SOLEFLIP_PG_DATA_DIR ? { dataDir: env.SOLEFLIP_PG_DATA_DIR } : {}) };
}
