/** The only place the test harness reads the environment. */
export const testEnv = {
  /** Tests use this server (its user needs CREATEDB) instead of a private embedded one. */
  databaseUrl: process.env["DATABASE_URL"] || undefined,
  /** The private embedded server's PostgreSQL major (`SOLEFLIP_PG_MAJOR=15 pnpm test:all`). */
  major: process.env["SOLEFLIP_PG_MAJOR"] || undefined,
  /** The package manager running the tests (pnpm sets it), to run the README's commands the same way. */
  npmExecpath: process.env["npm_execpath"] || undefined,
  /** What a command run by a test inherits: only PATH and HOME (the rest is what the test passes). */
  path: process.env["PATH"] ?? "",
  home: process.env["HOME"] ?? "/tmp",
};
