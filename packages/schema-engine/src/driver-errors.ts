import { DriverAdapterError } from "@prisma/driver-adapter-utils";

interface PgError {
  code?: string;
  message?: string;
  severity?: string;
  detail?: string;
  column?: string;
  hint?: string;
  address?: string;
  hostname?: string;
  port?: number;
}

/**
 * Maps node-postgres errors to the driver-adapter error kinds the engine turns into Prisma's error
 * codes (P1001 unreachable, P1000 authentication, P1003 database missing, ...).
 */
export function toDriverAdapterError(error: unknown): DriverAdapterError {
  if (error instanceof DriverAdapterError) return error;
  const e = (error ?? {}) as PgError;
  const message = e.message ?? String(error);
  switch (e.code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EHOSTUNREACH":
    case "EAI_AGAIN":
      return new DriverAdapterError({
        kind: "DatabaseNotReachable",
        ...(e.address ?? e.hostname ? { host: e.address ?? e.hostname } : {}),
        ...(e.port ? { port: e.port } : {}),
      });
    case "ETIMEDOUT":
      return new DriverAdapterError({ kind: "SocketTimeout" });
    case "ECONNRESET":
      return new DriverAdapterError({ kind: "ConnectionClosed" });
    case "28P01":
      return new DriverAdapterError({ kind: "AuthenticationFailed", user: quoted(message, -1) });
    case "3D000":
      return new DriverAdapterError({ kind: "DatabaseDoesNotExist", db: quoted(message, 0) });
    case "42P04":
      return new DriverAdapterError({ kind: "DatabaseAlreadyExists", db: quoted(message, 0) });
    case "28000":
      return new DriverAdapterError({ kind: "DatabaseAccessDenied", db: quoted(message, -1) });
    default:
      return new DriverAdapterError({
        kind: "postgres",
        code: e.code ?? "N/A",
        severity: e.severity ?? "ERROR",
        message,
        detail: e.detail,
        column: e.column,
        hint: e.hint,
      });
  }
}

function quoted(message: string, which: number): string | undefined {
  const names = [...message.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
  return names.at(which);
}
