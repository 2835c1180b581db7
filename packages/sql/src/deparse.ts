import { Deparser } from "pgsql-deparser";
import type { Node } from "libpg-query";

/**
 * Turns a parse-tree fragment (an expression, a FROM item) back into SQL. The deparser does not quote
 * reserved words used as relation names (sales."order" comes back as sales.order), so callers quote
 * target relations themselves.
 */
export function deparseNode(node: Node): string {
  return Deparser.deparse(node);
}
