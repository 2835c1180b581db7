import type { LiveConstraint } from "@soleflip/catalog";
import { parseStatements, quoteIdent, quoteQualified } from "@soleflip/sql";

/**
 * Prisma reads a UNIQUE constraint as an index: its reverse SQL puts a dropped one back with CREATE UNIQUE
 * INDEX, which leaves an index where the database had a constraint (legacy and `db pull` databases keep
 * uniques as constraints). Where the structure to restore had a constraint of that name on that table,
 * the index is attached to it again (ADD CONSTRAINT … UNIQUE USING INDEX, a catalog change), so that
 * down.sql restores the structure exactly.
 */
export async function restoreUniqueConstraints(sql: string, target: readonly LiveConstraint[]): Promise<string> {
  const statements = await parseStatements(sql, "Prisma's reverse SQL");
  const attach: string[] = [];
  for (const statement of statements) {
    const node = statement.node;
    if (!("IndexStmt" in node) || !node.IndexStmt.unique || !node.IndexStmt.idxname) continue;
    const relation = node.IndexStmt.relation;
    const name = node.IndexStmt.idxname;
    const constraint = target.find((c) => c.kind === "u" && c.name === name && c.table === relation?.relname && (!relation?.schemaname || c.schema === relation.schemaname));
    if (constraint) attach.push(`ALTER TABLE ${quoteQualified(constraint.schema, constraint.table)} ADD CONSTRAINT ${quoteIdent(name)} UNIQUE USING INDEX ${quoteIdent(name)};`);
  }
  return attach.length === 0 ? sql : `${sql.trimEnd()}\n\n-- The unique constraints the structure before had (Prisma puts back their indexes only)\n${attach.join("\n")}`;
}
