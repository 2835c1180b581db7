import { hasSqlDetails, loadModule, parseSync, type Node } from "libpg-query";
import { ToolkitError } from "@soleflip/core";

export type { Node } from "libpg-query";

/** One top-level statement of a script, as PostgreSQL's own parser sees it. */
export interface ParsedStatement {
  /** 0-based position in the script. */
  index: number;
  /** The statement's source text, trimmed, without the trailing semicolon. */
  text: string;
  /** 1-based line of the statement's first character in the script. */
  line: number;
  /** The parse-tree node type, e.g. `IndexStmt`, `AlterTableStmt`. */
  kind: string;
  node: Node;
  /** `--` comment lines between the previous statement and this one, without the dashes. */
  comments: string[];
}

let ready: Promise<void> | undefined;

/** Parses a script with libpg-query (PostgreSQL 18's parser compiled to WebAssembly). */
export async function parseStatements(sql: string, source = "SQL"): Promise<ParsedStatement[]> {
  ready ??= loadModule();
  await ready;
  return parseStatementsSync(sql, source);
}

/** Synchronous form; call `parseStatements` once first so the module is loaded. */
export function parseStatementsSync(sql: string, source = "SQL"): ParsedStatement[] {
  if (sql.trim() === "") return [];
  let result: ReturnType<typeof parseSync>;
  try {
    result = parseSync(sql);
  } catch (error) {
    throw toSyntaxError(error, sql, source);
  }
  // Locations are byte offsets into the UTF-8 encoding.
  const bytes = Buffer.from(sql, "utf8");
  let previousEnd = 0;
  return (result.stmts ?? []).map((raw, index) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : start + raw.stmt_len;
    // Comments may sit between the previous statement's end and this one's start, or inside the slice.
    const regionStart = previousEnd;
    const region = bytes.subarray(regionStart, end).toString("utf8");
    previousEnd = end + 1;
    const text = stripComments(bytes.subarray(start, end).toString("utf8").trim());
    const before = region.slice(0, region.indexOf(text));
    const textStart = regionStart + Buffer.byteLength(before);
    const node = raw.stmt as Node;
    return {
      index,
      text,
      line: bytes.subarray(0, textStart).toString("utf8").split("\n").length,
      kind: Object.keys(node)[0] ?? "Unknown",
      node,
      comments: before
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.startsWith("--"))
        .map((line) => line.replace(/^--\s?/, "")),
    };
  });
}

/** Leading comment lines belong to the file, not the statement. */
function stripComments(text: string): string {
  const lines = text.split("\n");
  while (lines.length > 1 && /^\s*--/.test(lines[0] ?? "")) lines.shift();
  return lines.join("\n").trim();
}

export async function ensureParserLoaded(): Promise<void> {
  ready ??= loadModule();
  await ready;
}

function toSyntaxError(error: unknown, sql: string, source: string): ToolkitError {
  const message = error instanceof Error ? error.message : String(error);
  let where = "";
  if (hasSqlDetails(error) && error.sqlDetails) {
    const offset = Buffer.from(sql, "utf8").subarray(0, error.sqlDetails.cursorPosition).toString("utf8");
    const lines = offset.split("\n");
    where = ` at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
  }
  return new ToolkitError({
    code: "sql.syntax-error",
    summary: `${source}: ${message}${where}`,
    fix: "Fix the SQL; it is parsed with PostgreSQL's own parser before anything runs.",
    cause: error,
  });
}
