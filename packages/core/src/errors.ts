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

/** Wraps anything thrown into a ToolkitError so that CLIs have one shape to render. */
export function toToolkitError(error: unknown, fallbackCode = "toolkit.unexpected"): ToolkitError {
  if (error instanceof ToolkitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ToolkitError({
    code: fallbackCode,
    summary: message.split("\n")[0] ?? "unexpected error",
    fix: "This is a bug or an unexpected state; rerun with --verbose and report it with the output.",
    cause: error,
  });
}
