// `pnpm db:up`: starts the embedded PostgreSQL (or checks DATABASE_URL), prints its URL, and keeps it
// running until Ctrl-C, for psql sessions and manual runs.
import { ExitCode, toToolkitError } from "@soleflip/core";
import { acquireDatabase } from "./acquire.ts";
import { postgresEnv as env } from "./env.ts";
import { findWorkspaceRoot } from "./workspace-root.ts";

try {
  const database = await acquireDatabase({
    databaseUrl: env.databaseUrl,
    workspaceRoot: findWorkspaceRoot(),
    ...(env.port ? { port: env.port } : {}),
    ...(env.dataDir ? { dataDir: env.dataDir } : {}),
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(`${database.source === "embedded" ? "embedded PostgreSQL" : "DATABASE_URL"}: ${database.url}\n`);
  if (database.source === "embedded") {
    process.stderr.write("running; press Ctrl-C to stop\n");
    setInterval(() => undefined, 1 << 30);
  }
} catch (error) {
  const failure = toToolkitError(error);
  process.stderr.write(`error [${failure.code}]: ${failure.summary}\n  fix: ${failure.fix}\n`);
  process.exitCode = ExitCode.ToolFailed;
}
