import { join } from "node:path";
import { DEFAULT_MAJOR, parseMajor, type PostgresMajor } from "./binaries.ts";
import { postgresEnv } from "./env.ts";

/** Where the embedded PostgreSQL listens and which database it serves, unless configured otherwise. */
export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_DATABASE_NAME = "soleflip";

/** The embedded server's fixed local credentials (it listens on 127.0.0.1 only). */
export const EMBEDDED_USER = "postgres";
export const EMBEDDED_PASSWORD = "postgres";

/**
 * The database every command uses by default: DATABASE_URL, else the embedded PostgreSQL's (which a
 * command starts on demand; `pnpm db:up` keeps it running for tools such as `npx prisma`).
 */
export function defaultDatabaseUrl(): string {
  return postgresEnv.databaseUrl ?? `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${postgresEnv.port ?? embeddedPort(embeddedMajor())}/${DEFAULT_DATABASE_NAME}`;
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
