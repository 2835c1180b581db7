import { redactSecrets } from "./redact.ts";

/**
 * A failure the user can act on: a dotted code (`postgres.auth-failed`), a one-line summary, the fix,
 * and the underlying cause. Messages never contain secrets: the summary and fix are redacted on the way in.
 */
export class ToolkitError extends Error {
  readonly code: string;
  readonly summary: string;
  readonly fix: string;

  constructor(init: { code: string; summary: string; fix: string; cause?: unknown }) {
    const summary = redactSecrets(init.summary);
    super(summary, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ToolkitError";
    this.code = init.code;
    this.summary = summary;
    this.fix = redactSecrets(init.fix);
  }

  toJSON(): { code: string; summary: string; fix: string; cause?: string } {
    const cause = describeCause(this.cause);
    return { code: this.code, summary: this.summary, fix: this.fix, ...(cause ? { cause } : {}) };
  }
}

export function isToolkitError(value: unknown): value is ToolkitError {
  return value instanceof ToolkitError;
}

/** A one-line, secret-free description of an error's cause, for logs and JSON output. */
export function describeCause(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (cause instanceof Error) return redactSecrets(cause.message.split("\n")[0] ?? "");
  return redactSecrets(String(cause));
}

interface ServerError {
  code: string;
  severity?: string;
  message: string;
}

/** An error PostgreSQL sent (node-postgres' DatabaseError): a five-character SQLSTATE and a severity. */
function isServerError(error: unknown): error is ServerError {
  const candidate = error as Partial<ServerError> | null;
  return typeof candidate?.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code) && typeof candidate.severity === "string";
}

/**
 * What the environment can do to a run, by SQLSTATE class or code: these are not the toolkit's bugs, so
 * they get their own codes and a fix (PostgreSQL's appendix A names the classes).
 */
const ENVIRONMENT: Array<{ match: (sqlstate: string) => boolean; code: string; what: string; fix: string }> = [
  { match: (s) => s === "42501", code: "postgres.permission-denied", what: "The database user lacks a privilege this needs", fix: "Grant it (e.g. CREATE on the schema, ownership of the table), or run as a user that has it. Nothing was changed by the failed statement." },
  { match: (s) => s === "25006", code: "postgres.read-only", what: "The server accepts only reads (a standby, or default_transaction_read_only)", fix: "Point DATABASE_URL at the primary for changes; verification works on a standby." },
  { match: (s) => s === "55P03", code: "postgres.lock-timeout", what: "Gave up waiting for a lock", fix: "Another session holds it; retry when it is done, or raise the lock timeout." },
  { match: (s) => s === "40P01", code: "postgres.deadlock", what: "A deadlock with another session", fix: "Retry; the statement was rolled back." },
  { match: (s) => s === "57014", code: "postgres.canceled", what: "The statement was cancelled (statement_timeout or a cancel request)", fix: "Retry; raise statement_timeout for long steps if it fired." },
  { match: (s) => s.startsWith("08") || ["57P01", "57P02", "57P03"].includes(s), code: "postgres.connection-lost", what: "The connection to the server was lost", fix: "Check the server and the network, then run again; completed work is resumed." },
  { match: (s) => s.startsWith("53"), code: "postgres.resources", what: "The server ran out of a resource (disk, memory, connections)", fix: "Free it (or raise the limit) and run again." },
  { match: (s) => s.startsWith("28"), code: "postgres.auth-failed", what: "The server refused the credentials", fix: "Check the user name and password in DATABASE_URL (the password is never printed)." },
  { match: (s) => s === "3D000", code: "postgres.database-missing", what: "The database does not exist", fix: "Create it first, or point DATABASE_URL at an existing one." },
];

/** Node's network errors: the server is not there. */
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EAI_AGAIN", "EPIPE"]);

/**
 * Wraps anything thrown into a ToolkitError so that CLIs have one shape to render. Errors of the
 * environment (privileges, lost connections, a read-only server) get their own codes; only what is left
 * is `toolkit.unexpected`, which always means a bug.
 */
export function toToolkitError(error: unknown, fallbackCode = "toolkit.unexpected"): ToolkitError {
  if (error instanceof ToolkitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n")[0] ?? "unexpected error";
  if (isServerError(error)) {
    const known = ENVIRONMENT.find((entry) => entry.match(error.code));
    if (known) return new ToolkitError({ code: known.code, summary: `${known.what}: ${firstLine} (SQLSTATE ${error.code}).`, fix: known.fix, cause: error });
  }
  const network = (error as { code?: string } | null)?.code;
  if (network && NETWORK.has(network)) {
    return new ToolkitError({ code: "postgres.connection-lost", summary: `The connection to the server failed: ${firstLine} (${network}).`, fix: "Check the server and the network, then run again; completed work is resumed.", cause: error });
  }
  return new ToolkitError({
    code: fallbackCode,
    summary: firstLine,
    fix: "This is a bug in the toolkit: please report it with the command you ran and this output.",
    cause: error,
  });
}
