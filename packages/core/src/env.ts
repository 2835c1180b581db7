import type { z } from "zod";
import { ToolkitError } from "./errors.ts";

/** Validates an app's environment with its zod schema; the first problem becomes a `<tool>.env.invalid` error. */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, source: NodeJS.ProcessEnv, tool: string): z.infer<Schema> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ToolkitError({
    code: `${tool}.env.invalid`,
    summary: `Invalid environment variable ${String(issue?.path[0] ?? "?")}: ${issue?.message ?? "invalid"}`,
    fix: "Fix or unset the variable; see the README's configuration section.",
  });
}
