import { onShutdown, redactConnectionString } from "@soleflip/core";
import { connectClient, parseDatabaseUrl, withDatabase } from "./connect.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { assertSessionConnection } from "./pooler.ts";
import { serverVersionNum } from "./server-version.ts";
import { ensureDatabase } from "./scratch.ts";

import { isSupportedMajor, type PostgresMajor } from "./binaries.ts";
import { DEFAULT_DATABASE_NAME, DEFAULT_EMBEDDED_PORT, embeddedDataDir, embeddedMajor, embeddedPort } from "./defaults.ts";

export { DEFAULT_DATABASE_NAME, DEFAULT_EMBEDDED_PORT };

export interface AcquireOptions {
  /** When set, this database is used as it is and nothing is started. */
  databaseUrl?: string | undefined;
  /**
   * The run needs a session of its own (migration lock, session settings): DIRECT_DATABASE_URL, when
   * given, is used instead of databaseUrl, and the URL used is probed for a transaction-mode pooler.
   */
  session?: { directDatabaseUrl?: string | undefined };
  /** Repository root; the embedded cluster lives in `<root>/.data/postgres`. */
  workspaceRoot: string;
  port?: number;
  /** Major of the embedded server (default: SOLEFLIP_PG_MAJOR, else 18); each has its own port and folder. */
  major?: PostgresMajor;
  /** Data directory of the embedded cluster (default: <root>/.data/postgres, postgres-<major> for others). */
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
  /** The embedded server's data directory (source "embedded"). */
  dataDir?: string;
  release(): Promise<void>;
}


export interface ScratchServer {
  /** URL of the maintenance database of the server where scratch databases are made. */
  adminUrl: string;
  /** shadow: SHADOW_DATABASE_URL's server; embedded: the local embedded PostgreSQL. */
  source: "shadow" | "embedded";
  release(): Promise<void>;
}

/**
 * Where scratch work happens (the expected state, a baseline to compare with, a trial of a new
 * migration): the server of SHADOW_DATABASE_URL when it is given, otherwise the embedded PostgreSQL,
 * never the target's server (a CREATE DATABASE there needs CREATEDB and forces a checkpoint on it).
 */
export async function acquireScratchServer(
  options: Omit<AcquireOptions, "databaseUrl" | "databaseName" | "session"> & { shadowDatabaseUrl?: string | undefined; sameMajorAs?: string | undefined },
): Promise<ScratchServer> {
  if (options.shadowDatabaseUrl) {
    const adminUrl = withDatabase(options.shadowDatabaseUrl, "postgres");
    const client = await connectClient(options.shadowDatabaseUrl);
    await client.end();
    return { adminUrl, source: "shadow", release: async () => undefined };
  }
  const { sameMajorAs, shadowDatabaseUrl: _shadow, ...embeddedOptions } = options;
  const major = sameMajorAs ? await majorOf(sameMajorAs) : undefined;
  // Scratch work (the expected state, a trial) runs on the target's major: catalogs and plans differ by
  // version. Another major than the configured embedded one gets its own default port and folder.
  const configured = embeddedMajor();
  const otherMajor = major !== undefined && major !== configured;
  const embedded = await acquireDatabase(
    otherMajor
      ? {
          workspaceRoot: options.workspaceRoot,
          major,
          // beside the configured folder (SOLEFLIP_PG_DATA_DIR), never in it; on that major's own default port
          ...(options.dataDir ? { dataDir: `${options.dataDir}-${major}` } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }
      : embeddedOptions,
  );
  return { adminUrl: embedded.adminUrl, source: "embedded", release: embedded.release };
}

/** The supported major a database runs, or undefined (unreachable, or a major the embedded server cannot run). */
async function majorOf(url: string): Promise<PostgresMajor | undefined> {
  try {
    const client = await connectClient(url, { connectTimeoutMs: 5_000 });
    try {
      const major = Math.floor((await serverVersionNum(client)) / 10_000);
      return isSupportedMajor(major) ? major : undefined;
    } finally {
      await client.end();
    }
  } catch {
    return undefined;
  }
}

/**
 * One way to get a database: DATABASE_URL when given (checked by connecting), otherwise the embedded
 * PostgreSQL in `.data/postgres`, started on demand and stopped on release, on exit and on Ctrl-C.
 */
export async function acquireDatabase(options: AcquireOptions): Promise<DatabaseHandle> {
  const givenUrl = options.session?.directDatabaseUrl ?? options.databaseUrl;
  if (givenUrl) {
    const url = givenUrl;
    parseDatabaseUrl(url);
    const client = await connectClient(url);
    await client.end();
    if (options.session) await assertSessionConnection(url, options.session.directDatabaseUrl ? "DIRECT_DATABASE_URL" : "DATABASE_URL");
    return {
      url,
      adminUrl: withDatabase(url, "postgres"),
      source: "env",
      displayUrl: redactConnectionString(url),
      release: async () => undefined,
    };
  }

  const major = options.major ?? embeddedMajor();
  const dataDir = options.dataDir ?? embeddedDataDir(options.workspaceRoot, major);
  const server = await startEmbeddedPostgres({
    major,
    dataDir,
    port: options.port ?? embeddedPort(major),
    portFixed: options.port !== undefined,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  let unregister = (): void => undefined;
  const stop = async (): Promise<void> => {
    unregister();
    await server.stop();
  };
  if (server.owned) unregister = onShutdown(stop);
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
    dataDir,
    release: stop,
  };
}
