import { hasSqlDetails, loadModule, parseSync, type Node } from "libpg-query";
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
 * Synchronous form; call `ensureParserLoaded` once first. Statement boundaries come from the parser, so
 * what lies between the end of one statement and the first token of the next is only its semicolon,
 * whitespace and comments: the `--` comments are read from that stretch alone, never from inside a
 * statement (where `--` may sit in a string or dollar quote).
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
    const location = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : location + raw.stmt_len;
    const { start, comments } = leadingComments(bytes, Math.min(previousEnd, location), end);
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
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0c, 0x0b, 0x3b /* a stray ; of an empty statement */]);

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

/**
 * Skips the whitespace and comments that open a statement's stretch: where its first token starts, and
 * the text of its `--` comments (block comments, which nest in PostgreSQL, are skipped).
 */
function leadingComments(bytes: Buffer, from: number, to: number): { start: number; comments: string[] } {
  const comments: string[] = [];
  let at = from;
  while (at < to) {
    const byte = bytes[at] ?? 0;
    if (WHITESPACE.has(byte)) {
      at += 1;
    } else if (byte === 0x2d && bytes[at + 1] === 0x2d) {
      const lineEnd = bytes.indexOf(NEWLINE, at);
      const commentEnd = lineEnd === -1 || lineEnd > to ? to : lineEnd;
      const text = bytes.subarray(at + 2, commentEnd).toString("utf8").trim();
      if (text !== "") comments.push(text);
      at = commentEnd;
    } else if (byte === 0x2f && bytes[at + 1] === 0x2a) {
      let depth = 1;
      at += 2;
      while (at < to && depth > 0) {
        if (bytes[at] === 0x2f && bytes[at + 1] === 0x2a) {
          depth += 1;
          at += 2;
        } else if (bytes[at] === 0x2a && bytes[at + 1] === 0x2f) {
          depth -= 1;
          at += 2;
        } else at += 1;
      }
    } else break;
  }
  return { start: at, comments };
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
