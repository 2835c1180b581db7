import { parseStatementsSync, type Node } from "@soleflip/sql";
import { DEFAULT_OPCLASSES } from "./default-opclasses.ts";
import { UNQUALIFIED_SCHEMA } from "./sql-parts.ts";

/**
 * Keys that are equal for two definitions exactly when PostgreSQL would build the same object, whatever
 * the names, spacing, parentheses, CONCURRENTLY / IF NOT EXISTS or source positions. Live objects are
 * compared through their pg_get_indexdef / pg_get_constraintdef text, parsed by the same parser.
 */
export function indexKey(node: Node): string {
  const index = structuredClone((node as { IndexStmt: Record<string, unknown> }).IndexStmt);
  delete index["idxname"];
  delete index["concurrent"];
  delete index["if_not_exists"];
  const relation = (index["relation"] ?? {}) as Record<string, unknown>;
  index["relation"] = { schemaname: relation["schemaname"] ?? UNQUALIFIED_SCHEMA, relname: relation["relname"] };
  index["accessMethod"] ??= "btree";
  const defaults = DEFAULT_OPCLASSES[String(index["accessMethod"]).toLowerCase()];
  for (const param of (index["indexParams"] ?? []) as Array<{ IndexElem?: { opclass?: Array<{ String?: { sval?: string } }>; opclassopts?: unknown } }>) {
    const element = param.IndexElem;
    const names = element?.opclass?.map((part) => part.String?.sval ?? "") ?? [];
    const name = names.at(-1);
    // `array_ops` or `pg_catalog.array_ops`, without parameters: the default, which PostgreSQL prints as nothing.
    if (element && name && defaults?.has(name) && (names.length === 1 || names[0] === "pg_catalog") && !element.opclassopts) delete element.opclass;
  }
  return JSON.stringify(normalise(index));
}

export function liveIndexKey(definition: string): string | undefined {
  const [statement] = parseStatementsSync(definition, "pg_get_indexdef");
  return statement && "IndexStmt" in statement.node ? indexKey(statement.node) : undefined;
}

/** A CHECK expression's key. */
export function expressionKey(node: Node): string {
  return JSON.stringify(normalise(node));
}

/** The key of a live CHECK constraint from pg_get_constraintdef ("CHECK ((a > 0)) NOT VALID"). */
export function liveCheckKey(definition: string): string | undefined {
  const [statement] = parseStatementsSync(`ALTER TABLE t ADD ${definition}`, "pg_get_constraintdef");
  const cmd = statement && "AlterTableStmt" in statement.node ? statement.node.AlterTableStmt.cmds?.[0] : undefined;
  const constraint = cmd && "AlterTableCmd" in cmd && cmd.AlterTableCmd.def && "Constraint" in cmd.AlterTableCmd.def ? cmd.AlterTableCmd.def.Constraint : undefined;
  return constraint?.raw_expr ? expressionKey(constraint.raw_expr) : undefined;
}

/**
 * What PostgreSQL changes when it prints a definition back: it adds casts (to the column's type, to
 * text for comparisons), writes `x IN (a, b)` as `x = ANY (ARRAY[a, b])` and `NOT IN` as `<> ALL`.
 * Both sides are brought to that form, without casts and positions.
 */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if ("TypeCast" in record) return normalise((record["TypeCast"] as { arg?: unknown }).arg);
  if ("A_Expr" in record) {
    const expr = record["A_Expr"] as { kind?: string; name?: unknown; lexpr?: unknown; rexpr?: unknown };
    if (expr.kind === "AEXPR_IN" && Array.isArray((expr.rexpr as { List?: { items?: unknown[] } } | undefined)?.List?.items)) {
      const items = (expr.rexpr as { List: { items: unknown[] } }).List.items;
      const op = JSON.stringify(expr.name).includes('"<>"') ? "AEXPR_OP_ALL" : "AEXPR_OP_ANY";
      return normalise({ A_Expr: { kind: op, name: expr.name, lexpr: expr.lexpr, rexpr: { A_ArrayExpr: { elements: items } } } });
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) {
    if (key === "location" || key === "inh" || key === "relpersistence" || key === "list_start" || key === "list_end" || key === "rexpr_list_start" || key === "rexpr_list_end") continue;
    result[key] = normalise(inner);
  }
  return result;
}
