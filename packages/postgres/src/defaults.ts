import { join } from "node:path";
import { DEFAULT_MAJOR, parseMajor, type PostgresMajor } from "./binaries.ts";
import { readCredentials, runningPostmaster } from "./embedded-mark.ts";
import { postgresEnv } from "./env.ts";
import { findWorkspaceRoot } from "./workspace-root.ts";

/** Where the embedded PostgreSQL listens and which database it serves, unless configured otherwise. */
export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_DATABASE_NAME = "soleflip";

/**
 * The database every command uses by default: DATABASE_URL, else the embedded PostgreSQL's (which a
 * command starts on demand; `pnpm db:up` keeps it running for tools such as `npx prisma`): on the port its
 * postmaster.pid names when it runs (it may have moved off a port another checkout's server holds), with
 * the password of its data directory's mark.
 */
export function defaultDatabaseUrl(workspaceRoot: string = findWorkspaceRoot()): string {
  if (postgresEnv.databaseUrl) return postgresEnv.databaseUrl;
  const major = embeddedMajor();
  const dataDir = postgresEnv.dataDir ?? embeddedDataDir(workspaceRoot, major);
  const credentials = readCredentials(dataDir);
  const port = runningPostmaster(dataDir)?.port ?? postgresEnv.port ?? embeddedPort(major);
  return `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DEFAULT_DATABASE_NAME}`;
}

/** The embedded server's major: SOLEFLIP_PG_MAJOR, else 18. */
export function embeddedMajor(): PostgresMajor {
  return postgresEnv.major ? parseMajor(postgresEnv.major, "SOLEFLIP_PG_MAJOR") : DEFAULT_MAJOR;
}

/** Each major has its own default port and data folder, so servers of two majors never meet. */
export function embeddedPort(major: PostgresMajor): number {
  return major === DEFAULT_MAJOR ? DEFAULT_EMBEDDED_PORT : DEFAULT_EMBEDDED_PORT - 20 + major;
}

export function embeddedDataDir(workspaceRoot: string, major: PostgresMajor): string {
  return join(workspaceRoot, ".data", major === DEFAULT_MAJOR ? "postgres" : `postgres-${major}`);
}

/** SHADOW_DATABASE_URL, when given: where Prisma's shadow databases go (default: the database's server). */
export function defaultShadowDatabaseUrl(): string | undefined {
  return postgresEnv.shadowDatabaseUrl;
}
