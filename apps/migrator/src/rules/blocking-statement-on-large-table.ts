import type { Node } from "@soleflip/sql";
import type { Rule } from "./rule.ts";

/** Statement forms that hold a write-blocking lock for a whole scan or rewrite when run as written. */
function blockingForm(node: Node): string | undefined {
  if ("IndexStmt" in node && !(node.IndexStmt as { concurrent?: boolean }).concurrent) return "CREATE INDEX without CONCURRENTLY holds a SHARE lock (blocks writes) for the whole build";
  if (!("AlterTableStmt" in node)) return undefined;
  for (const cmd of (node.AlterTableStmt as { cmds?: Node[] }).cmds ?? []) {
    const alter = (cmd as { AlterTableCmd?: { subtype?: string; def?: Node } }).AlterTableCmd;
    if (!alter) continue;
    if (alter.subtype === "AT_AlterColumnType") return "ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock";
    if (alter.subtype === "AT_SetNotNull") return "SET NOT NULL without a validated CHECK scans the table under an ACCESS EXCLUSIVE lock";
    const constraint = alter.def && "Constraint" in alter.def ? (alter.def.Constraint as { contype?: string; skip_validation?: boolean }) : undefined;
    if (alter.subtype === "AT_AddConstraint" && constraint && !constraint.skip_validation && ["CONSTR_FOREIGN", "CONSTR_CHECK"].includes(constraint.contype ?? "")) {
      return "ADD CONSTRAINT without NOT VALID scans the table while blocking writes";
    }
  }
  return undefined;
}

function tableOf(node: Node): string | undefined {
  const holder = Object.values(node)[0] as { relation?: { schemaname?: string; relname?: string } } | undefined;
  return holder?.relation?.relname ? `${holder.relation.schemaname ?? "public"}.${holder.relation.relname}` : undefined;
}

export const blockingStatementOnLargeTable: Rule = {
  id: "blocking-statement-on-large-table",
  summary: "A statement that blocks writes for a full scan or rewrite, on a table above the size threshold.",
  needsDatabase: true,
  check({ migration, database, options }) {
    if (!database) return [];
    return migration.statements.flatMap((statement) => {
      const form = blockingForm(statement.node);
      const table = tableOf(statement.node);
      if (!form || !table) return [];
      const rows = database.rowEstimates.get(table) ?? 0;
      if (rows < options.largeTableRows) return [];
      return [{
        level: "warning" as const,
        line: statement.line,
        message: `${form}; ${table} has about ${rows.toLocaleString("en-US")} rows. Applied as written (prisma migrate deploy, psql) it stalls writers for the whole scan.`,
        help: "soleflip-migrator applies it online-safe (NOT VALID + VALIDATE, CHECK before SET NOT NULL, CONCURRENTLY); write it in that form so every applier is safe.",
      }];
    });
  },
};
