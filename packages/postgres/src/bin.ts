// `pnpm db:up`: starts the embedded PostgreSQL (or checks DATABASE_URL), prints its URL, and keeps it
// running until Ctrl-C, for psql sessions and manual runs.
import { ExitCode, runCli } from "@soleflip/core";
import { acquireDatabase } from "./acquire.ts";
import { postgresEnv as env } from "./env.ts";
import { findWorkspaceRoot } from "./workspace-root.ts";

process.exitCode = await runCli(async () => {
  const database = await acquireDatabase({
    databaseUrl: env.databaseUrl,
    workspaceRoot: findWorkspaceRoot(),
    ...(env.port ? { port: env.port } : {}),
    ...(env.dataDir ? { dataDir: env.dataDir } : {}),
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  // The embedded server's credentials are fixed local defaults; a DATABASE_URL's password is never printed.
  process.stdout.write(database.source === "embedded" ? `embedded PostgreSQL: ${database.url}\n` : `DATABASE_URL: ${database.displayUrl}\n`);
  if (database.source === "embedded") {
    process.stderr.write("running; press Ctrl-C to stop\n");
    setInterval(() => undefined, 1 << 30);
  }
  return ExitCode.Ok;
});
