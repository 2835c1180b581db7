import { readDirectives } from "@soleflip/sql";
import type { Rule } from "./rule.ts";

export const banUnacknowledgedDataLoss: Rule = {
  id: "ban-unacknowledged-data-loss",
  summary: "A statement that drops or rewrites data needs a `-- migrator:allow-hazard <HAZARD>: <reason>` directive.",
  needsDatabase: false,
  check({ migration }) {
    return migration.operations.flatMap((operation) => {
      if (operation.kind !== "raw") return [];
      return operation.statements.flatMap((statement) => {
        const acknowledged = new Set(readDirectives(statement.comments).allowHazards.map((a) => a.hazard));
        const hazards = operation.hazards.filter((hazard) => (hazard === "DELETES_DATA" || hazard === "REWRITES_TABLE") && !acknowledged.has(hazard));
        if (hazards.length === 0 || !isDestructive(statement.kind)) return [];
        return [{
          level: "error" as const,
          line: statement.line,
          message: `${statement.kind} ${hazards.includes("DELETES_DATA") ? "drops data" : "rewrites the table"} without an acknowledgement; the runner refuses it.`,
          help: `Add "-- migrator:allow-hazard ${hazards[0]}: <why it is safe>" right before the statement.`,
        }];
      });
    });
  },
};

function isDestructive(kind: string): boolean {
  return ["DropStmt", "AlterTableStmt", "TruncateStmt", "DeleteStmt"].includes(kind);
}
