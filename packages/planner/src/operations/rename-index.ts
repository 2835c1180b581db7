import { quoteIdent } from "@soleflip/sql";
import { quoteInSchema, tableOf } from "../sql-parts.ts";
import type { OperationModule } from "../types.ts";

/** ALTER INDEX … RENAME TO …: decided by which of the two names exists. */
export const renameIndex: OperationModule<"rename-index"> = {
  kind: "rename-index",
  summary: "An index renamed (Prisma's map: change): a catalog change under SHARE UPDATE EXCLUSIVE.",
  recognise(fragments) {
    for (const fragment of fragments.statements("RenameStmt")) {
      const node = fragment.statement.node;
      if (!("RenameStmt" in node) || node.RenameStmt.renameType !== "OBJECT_INDEX" || !node.RenameStmt.newname) continue;
      const from = tableOf(node.RenameStmt.relation);
      fragments.claim([fragment], { kind: "rename-index", id: `rename-index:${from.schema}.${node.RenameStmt.newname}`, statements: [fragment.statement], schema: from.schema, implicitSchema: from.implicit === true, from: from.table, to: node.RenameStmt.newname });
    }
  },
  plan(operation, { live }) {
    const from = live.indexes.find((i) => i.schema === operation.schema && i.name === operation.from);
    const to = live.indexes.find((i) => i.schema === operation.schema && i.name === operation.to);
    if (to && !from) return { operation, status: "present", found: `${operation.to} exists`, steps: [] };
    return {
      operation,
      status: "absent",
      found: from ? `${operation.from} exists` : `neither ${operation.from} nor ${operation.to} exists`,
      steps: [{
        description: `rename ${operation.from} to ${operation.to}`,
        sql: [`ALTER INDEX ${quoteInSchema(operation.schema, operation.implicitSchema, operation.from)} RENAME TO ${quoteIdent(operation.to)}`],
        transactional: true,
        lock: "SHARE UPDATE EXCLUSIVE",
        tables: from ? [`${from.schema}.${from.table}`] : [],
        hazards: [],
      }],
    };
  },
  preflight: async () => [],
  managedObjects: (operation) => [
    { kind: "index", name: `${operation.schema}.${operation.from}` },
    { kind: "index", name: `${operation.schema}.${operation.to}` },
  ],
  alternative: () => undefined,
};
