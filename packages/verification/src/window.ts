import type { LiveSchema } from "@soleflip/catalog";
import type { HistoryRow } from "@soleflip/history";
import type { RecognisedMigration } from "@soleflip/runner";
import { quoteIdent } from "@soleflip/sql";
import type { CheckResult } from "./checks/check.ts";

/**
 * The window of an expand/contract change: the expand is applied and its contract waits for a later run.
 * The database then holds, beside the model, what the contract will drop (the old columns and the indexes
 * on them); the verifier says so instead of calling it drift, and calls anything else drift as ever.
 */
export interface ContractWindow {
  /** Each waiting contract and the expand it follows. */
  waiting: Array<{ contract: string; expand: string }>;
  /** `schema.table.column` of the columns the waiting contracts drop. */
  columns: Set<string>;
  /** `schema.name` of the indexes that go with them. */
  indexes: Set<string>;
}

export function contractWindow(migrations: readonly RecognisedMigration[], history: readonly HistoryRow[] | undefined, live: LiveSchema): ContractWindow | undefined {
  if (!history) return undefined;
  const applied = new Set(history.filter((row) => row.finishedAt && !row.rolledBackAt).map((row) => row.migrationName));
  const waiting = migrations.filter((m) => m.contractOf !== undefined && applied.has(m.contractOf) && !applied.has(m.name));
  if (waiting.length === 0) return undefined;
  const columns = new Set<string>();
  for (const contract of waiting) {
    for (const statement of contract.statements) {
      const node = statement.node;
      if (!("AlterTableStmt" in node)) continue;
      const relation = node.AlterTableStmt.relation;
      const schema = relation?.schemaname ?? "public";
      for (const cmd of node.AlterTableStmt.cmds ?? []) {
        if ("AlterTableCmd" in cmd && cmd.AlterTableCmd.subtype === "AT_DropColumn" && cmd.AlterTableCmd.name) columns.add(`${schema}.${relation?.relname ?? ""}.${cmd.AlterTableCmd.name}`);
      }
    }
  }
  // Index keys are printed by pg_get_indexdef: quoted where a name needs it.
  const keptOn = (schema: string, table: string, key: string) => [...columns].some((column) => {
    const name = column.slice(`${schema}.${table}.`.length);
    return column.startsWith(`${schema}.${table}.`) && (key === name || key === quoteIdent(name));
  });
  const indexes = new Set(live.indexes.filter((index) => index.columns.some((key) => keptOn(index.schema, index.table, key))).map((index) => `${index.schema}.${index.name}`));
  return { waiting: waiting.map((m) => ({ contract: m.name, expand: m.contractOf ?? "" })), columns, indexes };
}

/** A check's findings about what the waiting contracts keep are expected in the window: said, not failed. */
export function withinWindow(result: CheckResult, window: ContractWindow | undefined): CheckResult {
  if (!window) return result;
  const kept = result.findings.filter(
    (f) =>
      (result.id === "columns-match" && f.expected === "absent" && window.columns.has(f.subject)) ||
      (result.id === "indexes-match" && f.expected === "absent" && window.indexes.has(f.subject)) ||
      (result.id === "migration-history" && f.actual === "pending" && window.waiting.some((w) => w.contract === f.subject)),
  );
  if (kept.length === 0) return result;
  const findings = result.findings.filter((f) => !kept.includes(f));
  const note = `Kept for ${window.waiting.map((w) => `${w.contract} (the contract of ${w.expand}, which waits for a later run)`).join(", ")}: ${kept.map((f) => f.subject).join(", ")}.`;
  return { ...result, findings, status: findings.length === 0 && result.status === "fail" ? "pass" : result.status, summary: findings.length === 0 ? `${result.id === "migration-history" ? "Every migration is applied but the waiting contract." : "Everything else matches the model."} ${note}` : `${result.summary} ${note}` };
}
