import { hasSqlDetails, loadModule, parseSync, scanSync, type Node } from "libpg-query";
import { ToolkitError } from "@soleflip/core";

export type { Node } from "libpg-query";

/** One top-level statement of a script, as PostgreSQL's own parser sees it. */
export interface ParsedStatement {
  /** 0-based position in the script. */
  index: number;
  /** The statement's source text, trimmed, without the trailing semicolon and leading comments. */
  text: string;
  /** 1-based line of the statement's first token in the script. */
  line: number;
  /** The parse-tree node type, e.g. `IndexStmt`, `AlterTableStmt`. */
  kind: string;
  node: Node;
  /** `--` comments between the previous statement and this one, without the dashes, in order. */
  comments: string[];
}

let ready: Promise<void> | undefined;

/** Parses a script with libpg-query (PostgreSQL 18's parser compiled to WebAssembly). */
export async function parseStatements(sql: string, source = "SQL"): Promise<ParsedStatement[]> {
  await ensureParserLoaded();
  return parseStatementsSync(sql, source);
}

export async function ensureParserLoaded(): Promise<void> {
  ready ??= loadModule();
  await ready;
}

/**
 * Synchronous form; call `ensureParserLoaded` once first. Statement boundaries come from the parser: a
 * statement starts at its first token, so what lies between the end of one statement and the start of the
 * next is only its semicolon, whitespace and comments. PostgreSQL's scanner reads the `--` comments from
 * that stretch alone (never from inside a statement, where `--` may sit in a string or a dollar quote), which
 * is also much cheaper than scanning a long script whole.
 */
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
  const newlines: number[] = [];
  for (let offset = bytes.indexOf(NEWLINE); offset !== -1; offset = bytes.indexOf(NEWLINE, offset + 1)) newlines.push(offset);
  let previousEnd = 0;
  return (result.stmts ?? []).map((raw, index) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : start + raw.stmt_len;
    const comments = commentsIn(bytes.subarray(previousEnd, start).toString("utf8"));
    previousEnd = end;
    const node = raw.stmt as Node;
    return {
      index,
      text: bytes.subarray(start, end).toString("utf8").trim(),
      line: lineAt(newlines, start),
      kind: Object.keys(node)[0] ?? "Unknown",
      node,
      comments,
    };
  });
}

const NEWLINE = 0x0a;

/** 1-based line of a byte offset: newlines before it, plus one (binary search over their offsets). */
function lineAt(newlines: readonly number[], offset: number): number {
  let low = 0;
  let high = newlines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((newlines[middle] ?? Infinity) < offset) low = middle + 1;
    else high = middle;
  }
  return low + 1;
}

/** The `--` comments of a stretch between statements, without their dashes (block comments are skipped). */
function commentsIn(between: string): string[] {
  if (!between.includes("--")) return [];
  return scanSync(between)
    .tokens.filter((token) => token.tokenName === "SQL_COMMENT")
    .map((token) => token.text.replace(/^--\s?/, "").trim())
    .filter((text) => text !== "");
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
