import { parseStatementsSync, type Node } from "@soleflip/sql";

/**
 * A key that is equal for two CREATE INDEX statements exactly when they build the same index: same
 * table, method, uniqueness, columns (with opclass, order, nulls) and predicate, whatever their names,
 * CONCURRENTLY / IF NOT EXISTS, parentheses or source positions. Live indexes are compared through their
 * pg_get_indexdef text, parsed by the same parser.
 */
export function indexKey(node: Node): string {
  const index = structuredClone((node as { IndexStmt: Record<string, unknown> }).IndexStmt);
  delete index["idxname"];
  delete index["concurrent"];
  delete index["if_not_exists"];
  const relation = (index["relation"] ?? {}) as Record<string, unknown>;
  index["relation"] = { schemaname: relation["schemaname"] ?? "public", relname: relation["relname"] };
  index["accessMethod"] ??= "btree";
  return JSON.stringify(stripPositions(index));
}

export function liveIndexKey(definition: string): string | undefined {
  const [statement] = parseStatementsSync(definition, "pg_get_indexdef");
  return statement && "IndexStmt" in statement.node ? indexKey(statement.node) : undefined;
}

function stripPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripPositions);
  if (value && typeof value === "object") {
    const result: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === "location" || key === "inh" || key === "relpersistence") continue;
      // Casts of literals to the column's own type are added by PostgreSQL when it prints a predicate.
      if (key === "TypeCast" && isConstCast(inner)) return stripPositions((inner as { arg: unknown }).arg);
      result[key] = stripPositions(inner);
    }
    return result;
  }
  return value;
}

function isConstCast(value: unknown): boolean {
  const arg = (value as { arg?: Record<string, unknown> } | undefined)?.arg;
  return arg !== undefined && "A_Const" in arg;
}
