import { Deparser } from "pgsql-deparser";
import type { Node } from "libpg-query";

/**
 * Turns a parse-tree fragment (an expression, a FROM item, a statement) back into SQL. The deparser does
 * not quote reserved words used as relation names (sales."order" comes back as sales.order), so
 * statements naming a relation go through `deparseWithRelation`. `oneLine` drops the line breaks it puts
 * between the branches of long expressions (for text shown inline).
 */
export function deparseNode(node: Node, options: { oneLine?: boolean } = {}): string {
  return Deparser.deparse(node, options.oneLine ? { pretty: false } : {});
}

const PLACEHOLDER = "soleflip_relation_placeholder_7f3a";

/**
 * Deparses a statement whose `relation` is replaced by `quotedRelation` (already quoted by quoteIdent):
 * the statement is deparsed with a unique placeholder relation, which is then put back quoted.
 */
export function deparseWithRelation(node: Node, relationHolder: { relation?: unknown }, quotedRelation: string): string {
  const saved = relationHolder.relation;
  relationHolder.relation = { relname: PLACEHOLDER, inh: true, relpersistence: "p" };
  try {
    const text = Deparser.deparse(node);
    return text.replace(PLACEHOLDER, quotedRelation);
  } finally {
    relationHolder.relation = saved;
  }
}
