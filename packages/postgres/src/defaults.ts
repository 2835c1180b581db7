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
  return postgresEnv.databaseUrl ?? `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${postgresEnv.port ?? DEFAULT_EMBEDDED_PORT}/${DEFAULT_DATABASE_NAME}`;
}

/** SHADOW_DATABASE_URL, when given: where Prisma's shadow databases go (default: the database's server). */
export function defaultShadowDatabaseUrl(): string | undefined {
  return postgresEnv.shadowDatabaseUrl;
}
