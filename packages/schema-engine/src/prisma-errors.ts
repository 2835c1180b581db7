import { ToolkitError } from "@soleflip/core";
import type { SchemaEngineError } from "./engine.ts";

/** One place in the schema an error points at, as Prisma prints it (`-->  path:line`), with the column when the error quotes the token. */
export interface SchemaLocation {
  file: string;
  line: number;
  column?: number;
}

/**
 * The places Prisma's validation message points at. Each error is `error: <message>` followed by
 * `  -->  <file>:<line>` and the source lines; the column is where the token the message quotes ("Strin",
 * a field or model name) starts on that line.
 */
export function locationsOf(message: string): SchemaLocation[] {
  const blocks = message.split(/\n(?=error: )/);
  return blocks.flatMap((block) => {
    const at = /-->\s+(.+):(\d+)\s*$/m.exec(block);
    if (!at?.[1] || !at[2]) return [];
    const line = Number(at[2]);
    // Prisma right-aligns the line numbers of the excerpt (" 4 |" under "12 |").
    const source = new RegExp(`^\\s*${line}\\s*\\|(.*)$`, "m").exec(block)?.[1];
    const quoted = /"([^"]+)"/.exec(block.split("\n")[0] ?? "")?.[1];
    const offset = source !== undefined && quoted !== undefined ? source.indexOf(quoted) : -1;
    // The source line is printed after "<line> |"; its first character is the column-1 separator space.
    return [{ file: at[1], line, ...(offset >= 1 ? { column: offset } : {}) }];
  });
}

/**
 * Prisma's own errors as the user's errors: a schema that does not validate (P1012) is bad input with
 * Prisma's message and every place it points at; other engine errors keep Prisma's code. A panic stays
 * what it is (a bug, ours or Prisma's).
 */
export function userErrorOf(error: SchemaEngineError): ToolkitError | SchemaEngineError {
  if (error.isPanic || !error.errorCode) return error;
  if (error.errorCode === "P1012") {
    const locations = locationsOf(error.message);
    const where = locations.map((l) => `${l.file}:${l.line}${l.column ? `:${l.column}` : ""}`);
    const count = (error.message.match(/^error: /gm) ?? []).length || 1;
    return new ToolkitError({
      code: "prisma.schema-invalid",
      summary: `The Prisma schema does not validate (Prisma P1012, ${count} error${count === 1 ? "" : "s"}${where.length ? ` at ${where.join(", ")}` : ""}):\n${error.message.trimEnd()}`,
      fix: "Correct the schema at the places shown (`pnpm prisma validate` reports the same); nothing was written.",
    });
  }
  return new ToolkitError({ code: "prisma.engine-error", summary: `Prisma's schema engine reported ${error.errorCode}: ${error.message.trim()}`, fix: "See Prisma's error reference for the code (https://www.prisma.io/docs/orm/reference/error-reference); nothing was written.", cause: error });
}
