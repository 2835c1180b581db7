import type { LiveEnum } from "@soleflip/catalog";
import { parseStatements, quoteLiteral, quoteQualified, type Node } from "@soleflip/sql";

/**
 * Prisma appends every enum value it adds (ALTER TYPE … ADD VALUE 'x'), wherever the value stands in the
 * enum. Where the target order is known (the reverse of a removal: the order before the migration), the
 * value is put back in its place with BEFORE/AFTER, so that down.sql restores the enum exactly.
 */
export async function positionEnumValues(sql: string, target: readonly LiveEnum[]): Promise<string> {
  const statements = await parseStatements(sql, "Prisma's SQL");
  let changed = false;
  const texts = statements.map((statement) => {
    const node: Node = statement.node;
    if (!("AlterEnumStmt" in node)) return statement.text;
    const alter = node.AlterEnumStmt;
    if (!alter.newVal || alter.newValNeighbor || alter.oldVal) return statement.text;
    const parts = (alter.typeName ?? []).map((item) => ("String" in item ? (item.String.sval ?? "") : ""));
    const name = parts.at(-1) ?? "";
    const schema = parts.length > 1 ? parts[0] : undefined;
    const wanted = target.find((e) => e.name === name && (schema === undefined || e.schema === schema));
    if (!wanted) return statement.text;
    const index = wanted.labels.indexOf(alter.newVal);
    const next = index >= 0 ? wanted.labels[index + 1] : undefined;
    if (next === undefined) return statement.text;
    changed = true;
    return `ALTER TYPE ${quoteQualified(wanted.schema, wanted.name)} ADD VALUE ${quoteLiteral(alter.newVal)} BEFORE ${quoteLiteral(next)}`;
  });
  if (!changed) return sql;
  return statements.map((statement, i) => `${statement.comments.map((c) => `-- ${c}`).join("\n")}${statement.comments.length ? "\n" : ""}${texts[i]};`).join("\n");
}
