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

interface Token {
  start: number;
  end: number;
  comment: string | undefined;
}

/**
 * Synchronous form; call `ensureParserLoaded` once first. Statement boundaries come from the parser,
 * comments from PostgreSQL's scanner (so `--` inside strings or dollar quotes is never a comment).
 */
export function parseStatementsSync(sql: string, source = "SQL"): ParsedStatement[] {
  if (sql.trim() === "") return [];
  let result: ReturnType<typeof parseSync>;
  let tokens: Token[];
  try {
    result = parseSync(sql);
    tokens = scanSync(sql).tokens.map((token) => ({
      start: token.start,
      end: token.end,
      comment: token.tokenName === "SQL_COMMENT" ? token.text.replace(/^--\s?/, "").trim() : token.tokenName === "C_COMMENT" ? "" : undefined,
    }));
  } catch (error) {
    throw toSyntaxError(error, sql, source);
  }
  // Locations are byte offsets into the UTF-8 encoding.
  const bytes = Buffer.from(sql, "utf8");
  const lineOf = (offset: number) => bytes.subarray(0, offset).toString("utf8").split("\n").length;
  let previousEnd = 0;
  return (result.stmts ?? []).map((raw, index) => {
    const location = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : location + raw.stmt_len;
    const first = tokens.find((token) => token.start >= location && token.start < end && token.comment === undefined);
    const start = first?.start ?? location;
    const comments = tokens
      .filter((token) => token.comment !== undefined && token.comment !== "" && token.start >= previousEnd && token.start < start)
      .map((token) => token.comment as string);
    previousEnd = end;
    const node = raw.stmt as Node;
    return {
      index,
      text: bytes.subarray(start, end).toString("utf8").trim(),
      line: lineOf(start),
      kind: Object.keys(node)[0] ?? "Unknown",
      node,
      comments,
    };
  });
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
