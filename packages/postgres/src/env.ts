/** The only place this package's command line (`pnpm db:up`) reads the environment. */
export const postgresEnv = {
  databaseUrl: process.env["DATABASE_URL"] || undefined,
  shadowDatabaseUrl: process.env["SHADOW_DATABASE_URL"] || undefined,
  port: process.env["SOLEFLIP_PG_PORT"] ? Number(process.env["SOLEFLIP_PG_PORT"]) : undefined,
  /** Where the embedded cluster keeps its data (default: <repo>/.data/postgres). */
  dataDir: process.env["SOLEFLIP_PG_DATA_DIR"] || undefined,
  /** The embedded server's PostgreSQL major (default 18), as written; parsed where it is used. */
  major: process.env["SOLEFLIP_PG_MAJOR"] || undefined,
};
