import { join } from "node:path";
import { redactConnectionString } from "@soleflip/core";
import { connectClient, parseDatabaseUrl, withDatabase } from "./connect.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { ensureDatabase } from "./scratch.ts";

export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_DATABASE_NAME = "soleflip";

export interface AcquireOptions {
  /** When set, this database is used as it is and nothing is started. */
  databaseUrl?: string | undefined;
  /** Repository root; the embedded cluster lives in `<root>/.data/postgres`. */
  workspaceRoot: string;
  port?: number;
  /** Data directory of the embedded cluster (default: <root>/.data/postgres). */
  dataDir?: string | undefined;
  /** Database created (if missing) on the embedded server. */
  databaseName?: string;
  onProgress?: (message: string) => void;
}

export interface DatabaseHandle {
  url: string;
  /** URL of the maintenance database on the same server (for scratch databases). */
  adminUrl: string;
  source: "env" | "embedded";
  /** Safe to print. */
  displayUrl: string;
  release(): Promise<void>;
}

const signalHandlers = new Set<() => Promise<void>>();
let signalsInstalled = false;

function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...signalHandlers].map((handler) => handler())).then(() => {
        process.exit(signal === "SIGINT" ? 130 : 143);
      });
    });
  }
}

/**
 * One way to get a database: DATABASE_URL when given (checked by connecting), otherwise the embedded
 * PostgreSQL in `.data/postgres`, started on demand and stopped on release, on exit and on Ctrl-C.
 */
export async function acquireDatabase(options: AcquireOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const url = options.databaseUrl;
    parseDatabaseUrl(url);
    const client = await connectClient(url);
    await client.end();
    return {
      url,
      adminUrl: withDatabase(url, "postgres"),
      source: "env",
      displayUrl: redactConnectionString(url),
      release: async () => undefined,
    };
  }

  const server = await startEmbeddedPostgres({
    dataDir: options.dataDir ?? join(options.workspaceRoot, ".data", "postgres"),
    port: options.port ?? DEFAULT_EMBEDDED_PORT,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const stop = async (): Promise<void> => {
    signalHandlers.delete(stop);
    await server.stop();
  };
  if (server.owned) {
    signalHandlers.add(stop);
    installSignalHandlers();
  }
  const name = options.databaseName ?? DEFAULT_DATABASE_NAME;
  try {
    await ensureDatabase(server.adminUrl, name);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = withDatabase(server.adminUrl, name);
  return {
    url,
    adminUrl: server.adminUrl,
    source: "embedded",
    displayUrl: redactConnectionString(url),
    release: stop,
  };
}
