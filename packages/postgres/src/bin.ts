// `pnpm db:up`: starts the embedded PostgreSQL (or checks DATABASE_URL), prints its URL, and keeps it
// running until Ctrl-C, for psql sessions and manual runs.
import { chmod, writeFile } from "node:fs/promises";
import { relative } from "node:path";
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
  if (database.source === "embedded" && database.dataDir) {
    // No password on screen: psql reads it from a pgpass file beside the data directory (mode 600).
    const url = new URL(database.url);
    const pgpass = `${database.dataDir}.pgpass`;
    await writeFile(pgpass, `${url.hostname}:${url.port}:*:${decodeURIComponent(url.username)}:${decodeURIComponent(url.password).replaceAll("\\", "\\\\").replaceAll(":", "\\:")}\n`, { mode: 0o600 });
    await chmod(pgpass, 0o600);
    url.password = "";
    const shown = relative(process.cwd(), pgpass);
    process.stdout.write(`embedded PostgreSQL: ${url.toString()}\n  password: in ${shown} (psql: PGPASSFILE=${shown} psql ${url.toString()})\n`);
  } else {
    process.stdout.write(`DATABASE_URL: ${database.displayUrl}\n`);
  }
  if (database.source === "embedded") {
    process.stderr.write("running; press Ctrl-C to stop\n");
    setInterval(() => undefined, 1 << 30);
  }
  return ExitCode.Ok;
});
