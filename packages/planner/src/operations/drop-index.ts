import { namesOf, quoteInSchema, UNQUALIFIED_SCHEMA } from "../sql-parts.ts";
import { ddlStep, dropConstraintSql } from "../steps.ts";
import { dropIndexConcurrentlyStep } from "./ensure-index.ts";
import type { OperationModule } from "../types.ts";

/**
 * The index is gone. Plain DROP INDEX takes ACCESS EXCLUSIVE on the table; DROP INDEX CONCURRENTLY
 * waits for running queries instead and lets reads and writes continue. CASCADE cannot run
 * concurrently and runs as written.
 */
export const dropIndex: OperationModule<"drop-index"> = {
  kind: "drop-index",
  summary: "An index is gone: DROP INDEX CONCURRENTLY IF EXISTS (reads and writes continue).",
  recognise(fragments) {
    for (const fragment of fragments.statements("DropStmt")) {
      const node = fragment.statement.node;
      if (!("DropStmt" in node) || node.DropStmt.removeType !== "OBJECT_INDEX") continue;
      const cascade = node.DropStmt.behavior === "DROP_CASCADE";
      const objects = (node.DropStmt.objects ?? []).map((object) => ("List" in object ? namesOf(object.List.items) : []));
      for (const [index, parts] of objects.entries()) {
        const schema = parts.length > 1 ? (parts[0] ?? UNQUALIFIED_SCHEMA) : UNQUALIFIED_SCHEMA;
        const name = parts.at(-1) ?? "?";
        const operation = { kind: "drop-index" as const, id: `drop-index:${schema}.${name}`, statements: [fragment.statement], schema, implicitSchema: parts.length < 2, name, cascade };
        // One statement may drop several indexes: the first claims the fragment, the others share it.
        if (index === 0) fragments.claim([fragment], operation);
        else fragments.claim([], operation, fragment);
      }
    }
  },
  plan(operation, { live }) {
    const index = live.indexes.find((i) => i.schema === operation.schema && i.name === operation.name);
    if (!index) return { operation, status: "present", found: `${operation.schema}.${operation.name} is already gone`, steps: [] };
    const table = `${index.schema}.${index.table}`;
    // Prisma reads a UNIQUE constraint as an index and writes DROP INDEX for it, which PostgreSQL refuses
    // ("constraint … requires it"): legacy and `db pull` databases keep uniques as constraints. The end
    // result is the same: the constraint goes and its index with it.
    const constraint = index.backsConstraint && !operation.cascade ? live.constraints.find((c) => c.schema === index.schema && c.table === index.table && c.name === index.name && c.kind === "u") : undefined;
    if (constraint) {
      const ref = { schema: index.schema, table: index.table, ...(operation.implicitSchema ? { implicit: true } : {}) };
      return { operation, status: "absent", found: `${operation.name} is the index of UNIQUE constraint ${constraint.name} on ${table}`, steps: [{ ...ddlStep(`drop UNIQUE constraint ${constraint.name} (and its index)`, [dropConstraintSql(ref, constraint.name)], ref, "ACCESS EXCLUSIVE"), hazards: ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "INDEX_DROPPED"] }] };
    }
    if (operation.cascade || index.backsConstraint) {
      return {
        operation,
        status: "absent",
        found: `${operation.name} exists${index.backsConstraint ? " and backs a constraint" : ""}`,
        steps: [{ description: `drop ${operation.name}${operation.cascade ? " CASCADE" : ""} as written`, sql: [`DROP INDEX ${quoteInSchema(operation.schema, operation.implicitSchema, operation.name)}${operation.cascade ? " CASCADE" : ""}`], transactional: true, lock: "ACCESS EXCLUSIVE", tables: [table], hazards: ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "INDEX_DROPPED"] }],
      };
    }
    const step = dropIndexConcurrentlyStep(operation.schema, operation.name, table, `drop ${operation.name} CONCURRENTLY (reads and writes continue)`, operation.implicitSchema);
    return { operation, status: "absent", found: `${operation.name} exists on ${table}`, steps: [{ ...step, hazards: ["INDEX_DROPPED", "NON_TRANSACTIONAL"] }] };
  },
  preflight: async () => [],
  managedObjects: (operation) => [{ kind: "index", name: `${operation.schema}.${operation.name}` }],
  alternative: () => undefined,
};
