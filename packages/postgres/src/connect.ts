import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";
import { ToolkitError, redactConnectionString, registerSecret } from "@soleflip/core";

/** Connection settings as discrete fields: node-postgres lets a connectionString win over overrides. */
export interface ConnectionFields {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  ssl?: pg.ClientConfig["ssl"];
}

/** Parses a PostgreSQL URL, registering its password as a secret so no message ever prints it. */
export function parseDatabaseUrl(url: string): ConnectionFields {
  const invalid = (why: string) =>
    new ToolkitError({
      code: "postgres.invalid-url",
      summary: `The database URL ${why} (expected postgresql://user:password@host:port/database), got "${redactConnectionString(url)}"`,
      fix: "Set DATABASE_URL to a postgresql:// URL, or unset it to use the embedded database.",
    });
  if (!/^postgres(ql)?:\/\//i.test(url)) throw invalid("is not a PostgreSQL URL");
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw invalid("is malformed");
  }
  if (target.port !== "" && !/^\d+$/.test(target.port)) throw invalid(`has a port that is not a number`);
  const parsed = parseConnectionString(url);
  if (parsed.password) registerSecret(parsed.password);
  const fields: ConnectionFields = {
    host: parsed.host ?? "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user ?? "postgres",
    password: parsed.password ?? undefined,
    database: parsed.database ?? parsed.user ?? "postgres",
  };
  if (parsed.ssl !== undefined && parsed.ssl !== null) fields.ssl = parsed.ssl as pg.ClientConfig["ssl"];
  return fields;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  parseDatabaseUrl(url);
  const target = new URL(url);
  target.pathname = `/${encodeURIComponent(database)}`;
  return target.toString();
}

export function databaseName(url: string): string {
  return parseDatabaseUrl(url).database;
}

interface PgLikeError {
  code?: string;
  message?: string;
}

/** Maps a node-postgres or socket error to an actionable, secret-free ToolkitError. */
export function toConnectionError(error: unknown, url: string): ToolkitError {
  const { code, message = String(error) } = (error ?? {}) as PgLikeError;
  const where = redactConnectionString(url);
  const fields = safeFields(url);
  switch (code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
    case "EAI_AGAIN":
      return new ToolkitError({
        code: "postgres.unreachable",
        summary: `Cannot reach PostgreSQL at ${fields ? `${fields.host}:${fields.port}` : where} (${code}).`,
        fix: "Start the server or fix the host and port in DATABASE_URL; unset DATABASE_URL to use the embedded database.",
        cause: error,
      });
    case "28P01":
    case "28000":
      return new ToolkitError({
        code: "postgres.auth-failed",
        summary: `PostgreSQL refused the credentials of user "${fields?.user ?? "?"}" at ${fields ? `${fields.host}:${fields.port}` : where}.`,
        fix: "Check the user name and password in DATABASE_URL (the password is never printed).",
        cause: error,
      });
    case "3D000":
      return new ToolkitError({
        code: "postgres.database-missing",
        summary: `Database "${fields?.database ?? "?"}" does not exist on ${fields ? `${fields.host}:${fields.port}` : where}.`,
        fix: "Create the database first (createdb) or point DATABASE_URL at an existing one.",
        cause: error,
      });
    default:
      return new ToolkitError({
        code: "postgres.connect-failed",
        summary: `Could not connect to ${where}: ${message.split("\n")[0] ?? message}`,
        fix: "Check DATABASE_URL and that the server accepts connections.",
        cause: error,
      });
  }
}

function safeFields(url: string): ConnectionFields | undefined {
  try {
    return parseDatabaseUrl(url);
  } catch {
    return undefined;
  }
}

export interface ConnectOptions {
  applicationName?: string;
  /** Open the session with default_transaction_read_only = on. */
  readOnly?: boolean;
  /** Give up connecting after this long. */
  connectTimeoutMs?: number;
}

/** Opens one client, mapping every connection failure to a ToolkitError. */
export async function connectClient(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const fields = parseDatabaseUrl(url);
  const client = new pg.Client({
    ...fields,
    application_name: options.applicationName ?? "soleflip-toolkit",
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // A read-only session: every transaction is READ ONLY unless it says otherwise (the verifier's guarantee).
    ...(options.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  // An idle client whose server goes away emits 'error'; without a listener Node would crash.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toConnectionError(error, url);
  }
  return client;
}

/** Runs `work` with a fresh client and always closes it. */
export async function withClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const client = await connectClient(url, options);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

