import type { LiveSchema } from "@soleflip/catalog";
import { formatTypeName, statementLocks, tableName, typeChangeRewrites } from "@soleflip/planner";
import type { Node } from "@soleflip/sql";
import type { Rule } from "./rule.ts";

/** Statement forms that hold a write-blocking lock for a whole scan or rewrite when run as written. */
function blockingForm(node: Node, structure: LiveSchema | undefined, table: string | undefined): string | undefined {
  if ("IndexStmt" in node && !node.IndexStmt.concurrent) return "CREATE INDEX without CONCURRENTLY holds a SHARE lock (blocks writes) for the whole build";
  if (!("AlterTableStmt" in node)) return undefined;
  for (const cmd of node.AlterTableStmt.cmds ?? []) {
    if (!("AlterTableCmd" in cmd)) continue;
    const alter = cmd.AlterTableCmd;
    if (alter.subtype === "AT_AlterColumnType") {
      const current = structure?.columns.find((c) => `${c.schema}.${c.table}` === table && c.name === alter.name)?.type;
      const target = alter.def && "ColumnDef" in alter.def ? alter.def.ColumnDef : undefined;
      // Without the current type the change is taken to rewrite (as the runner takes it).
      if (typeChangeRewrites(current, formatTypeName(target?.typeName), target?.raw_default !== undefined)) return "ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock";
    }
    if (alter.subtype === "AT_SetNotNull") return "SET NOT NULL without a validated CHECK scans the table under an ACCESS EXCLUSIVE lock";
    const constraint = alter.def && "Constraint" in alter.def ? alter.def.Constraint : undefined;
    if (alter.subtype === "AT_AddConstraint" && constraint && !constraint.skip_validation && ["CONSTR_FOREIGN", "CONSTR_CHECK"].includes(constraint.contype ?? "")) {
      return "ADD CONSTRAINT without NOT VALID scans the table while blocking writes";
    }
  }
  return undefined;
}

/**
 * The plain form of a statement that blocks writes for a whole scan or rewrite, on a table above the
 * size threshold. The runner applies it online-safe anyway; the rule is for every other applier
 * (prisma migrate deploy, psql) of the same file.
 */
export const requireOnlineFormOnLargeTable: Rule = {
  id: "require-online-form-on-large-table",
  summary: "A statement that blocks writes for a full scan or rewrite, on a table above the size threshold.",
  needsDatabase: true,
  check({ migration, database, structure, options }) {
    if (!database) return [];
    // SET NOT NULL after a CHECK (column IS NOT NULL) validated in the same migration is the online form:
    // PostgreSQL skips its scan. The NOT NULL operation holds those helper statements.
    const proven = new Set(
      migration.operations
        .filter((operation) => operation.kind === "ensure-not-null" && operation.statements.some((s) => "AlterTableStmt" in s.node && (s.node.AlterTableStmt.cmds ?? []).some((cmd) => "AlterTableCmd" in cmd && cmd.AlterTableCmd.subtype === "AT_ValidateConstraint")))
        .flatMap((operation) => operation.statements),
    );
    return migration.statements.flatMap((statement) => {
      const target = statementLocks(statement.node)[0]?.table;
      const table = target ? tableName(target) : undefined;
      const form = proven.has(statement) ? undefined : blockingForm(statement.node, structure, table);
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
