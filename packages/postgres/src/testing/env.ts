/** The only place the test harness reads the environment. */
export const testEnv = {
  /** Tests use this server (its user needs CREATEDB) instead of a private embedded one. */
  databaseUrl: process.env["DATABASE_URL"] || undefined,
};
