import { QuoteUtils } from "@pgsql/quotes";
import pg from "pg";

/**
 * The one way a name reaches SQL in this repository: PostgreSQL's own quote_identifier rules (ported in
 * @pgsql/quotes), so plain lower-case names stay bare and anything else (upper case, spaces, quotes,
 * keywords such as "order", "left" or "position", non-ASCII letters) is double-quoted with embedded
 * quotes doubled.
 */
export function quoteIdent(name: string): string {
  return QuoteUtils.quoteIdentifier(name);
}

/** `schema.name`, each part quoted. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A string literal (node-postgres' escapeLiteral: doubles quotes, E'' when backslashes occur). */
export function quoteLiteral(value: string): string {
  return pg.escapeLiteral(value);
}
