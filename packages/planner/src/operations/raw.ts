import { mustRunOutsideTransaction, quoteIdent, type Node, type ParsedStatement } from "@soleflip/sql";
import type { Fragment, Fragments } from "../fragments.ts";
import { statementLocks } from "../locks.ts";
import { tableName, type Raw } from "../operations.ts";
import { countRows } from "../preflight-query.ts";
import { alterTableSql, findColumn, namesOf, quoteTable, tableExists, tableOf, UNQUALIFIED_SCHEMA } from "../sql-parts.ts";
import { strongestLock, type Hazard, type OperationModule, type PreflightResult, type TableRef } from "../types.ts";

/** Statement forms and the hazards they carry when run as written. */
const RAW_HAZARDS: Array<[(node: Node) => boolean, Hazard]> = [
  [(node) => "DropStmt" in node && ["OBJECT_TABLE", "OBJECT_SCHEMA", "OBJECT_MATVIEW"].includes(node.DropStmt.removeType ?? ""), "DELETES_DATA"],
  [(node) => "TruncateStmt" in node || "DeleteStmt" in node, "DELETES_DATA"],
  [(node) => alterSubtypes(node).includes("AT_DropColumn"), "DELETES_DATA"],
  [(node) => alterSubtypes(node).includes("AT_AlterColumnType"), "REWRITES_TABLE"],
  [(node) => "ClusterStmt" in node || ("VacuumStmt" in node && (node.VacuumStmt.options ?? []).some((o) => "DefElem" in o && o.DefElem.defname === "full")), "REWRITES_TABLE"],
  [(node) => "UpdateStmt" in node, "BACKFILLS_DATA"],
];

function alterSubtypes(node: Node): string[] {
  if (!("AlterTableStmt" in node)) return [];
  return (node.AlterTableStmt.cmds ?? []).map((cmd) => ("AlterTableCmd" in cmd ? (cmd.AlterTableCmd.subtype ?? "") : ""));
}

/**
 * Everything no other kind claims runs as written: consecutive statements that can share a
 * transaction form one all-or-nothing step, journaled so that an interrupted run resumes after it.
 * Its lock and hazards are read from the statements; data-destroying ones need an acknowledgement.
 */
export const raw: OperationModule<"raw"> = {
  kind: "raw",
  summary: "Statements run as written (one transaction where PostgreSQL allows), journaled for resumption; destructive ones need acknowledgement.",
  recognise(fragments) {
    for (const block of fragments.availableBlocks()) {
      const statements = [...new Set(block.map((f) => f.statement))].filter((s) => !("TransactionStmt" in s.node));
      fragments.claim(block, rawOperation(statements, block[0]?.position ?? 0, true));
    }
    const byStatement = new Map<ParsedStatement, Fragment[]>();
    for (const fragment of fragments.available()) byStatement.set(fragment.statement, [...(byStatement.get(fragment.statement) ?? []), fragment]);
    for (const [statement, pieces] of byStatement) {
      if ("TransactionStmt" in statement.node) {
        fragments.problem(statement, "a transaction statement outside a BEGIN … COMMIT block; the runner manages transactions");
        fragments.discard(pieces);
        continue;
      }
      const whole = fragments.all.filter((f) => f.statement === statement).length === pieces.length;
      if (whole) {
        fragments.claim(pieces, rawOperation([statement], pieces[0]?.position ?? 0));
        continue;
      }
      for (const piece of pieces) fragments.claim([piece], rawOperation([subcommandStatement(piece)], piece.position));
    }
  },
  plan(operation) {
    const locks = operation.statements.flatMap((statement) => statementLocks(statement.node));
    const tables = [...new Set([...operation.tables, ...locks.map((l) => l.table)].map(tableName))];
    return {
      operation,
      status: "raw",
      found: `${operation.statements.length} statement(s) run as written`,
      steps: [{
        description: `${operation.statements.length} statement(s) as written${operation.transactional ? " (one transaction)" : ""}`,
        sql: operation.statements.map((statement) => statement.text),
        transactional: operation.transactional,
        lock: locks.length > 0 ? strongestLock(locks.map((l) => l.lock)) : "NONE",
        tables,
        hazards: operation.hazards,
      }],
    };
  },
  async preflight(operation, { client, live, migration }) {
    const results: PreflightResult[] = [];
    for (const statement of operation.statements) {
      for (const loss of dataLosses(statement.node)) {
        // What an earlier pending migration makes (a column an expand adds) holds no data yet to lose.
        if (!tableExists(live, loss.table) || (loss.column && !findColumn(live, loss.table, loss.column))) continue;
        const fromWhere = `FROM ${quoteTable(loss.table)}${loss.column ? ` WHERE ${quoteIdent(loss.column)} IS NOT NULL` : ""}`;
        const { count, sql } = await countRows(client, fromWhere, "1");
        results.push({
          id: `data-loss:${tableName(loss.table)}${loss.column ? `.${loss.column}` : ""}`,
          migration,
          operationId: operation.id,
          check: "data-loss",
          table: tableName(loss.table),
          columns: loss.column ? [loss.column] : [],
          count,
          sampleKeys: [],
          passed: true,
          sql,
          message: loss.column ? `dropping ${tableName(loss.table)}.${loss.column} loses ${count.toLocaleString("en-US")} non-NULL value(s)` : `dropping ${tableName(loss.table)} loses ${count.toLocaleString("en-US")} row(s)`,
        });
      }
    }
    return results;
  },
  managedObjects: () => [],
  alternative: (operation) =>
    operation.hazards.includes("DELETES_DATA")
      ? "stop using it in the application first and keep the data (a backup table or column) until it is proven unused; a column renamed through @map is better done as expand and contract (add the new column, fill it, switch, drop the old one later) or as ALTER TABLE … RENAME COLUMN when old code is no longer running"
      : operation.hazards.includes("REWRITES_TABLE")
        ? "expand and contract: add a new column or table, fill it in batches with a declared repair, switch the application, drop the old one later"
        : undefined,
};

export function rawOperation(statements: ParsedStatement[], position: number, forceTransactional = false): Raw {
  const hazards = new Set<Hazard>();
  for (const statement of statements) {
    for (const [test, hazard] of RAW_HAZARDS) if (test(statement.node)) hazards.add(hazard);
  }
  const transactional = forceTransactional || !statements.some((statement) => mustRunOutsideTransaction(statement.node));
  if (!transactional) hazards.add("NON_TRANSACTIONAL");
  const tables = statements.flatMap((statement) => statementLocks(statement.node).map((lock) => lock.table));
  return { kind: "raw", id: `raw:${position}`, statements, transactional, hazards: [...hazards], tables: uniqueTables(tables) };
}

function uniqueTables(tables: TableRef[]): TableRef[] {
  const seen = new Map<string, TableRef>();
  for (const table of tables) seen.set(tableName(table), table);
  return [...seen.values()];
}

/** One leftover ALTER TABLE subcommand as a statement of its own (the others were claimed). */
function subcommandStatement(fragment: Fragment): ParsedStatement {
  const alter = fragment.alter;
  if (!alter) return fragment.statement;
  return {
    ...fragment.statement,
    text: alterTableSql(alter.table, alter.cmd),
    node: { AlterTableStmt: { relation: { schemaname: alter.table.schema, relname: alter.table.table, inh: true, relpersistence: "p" }, cmds: [{ AlterTableCmd: alter.cmd }], objtype: "OBJECT_TABLE" } } as Node,
    kind: "AlterTableStmt",
  };
}

function dataLosses(node: Node): Array<{ table: TableRef; column?: string }> {
  if ("DropStmt" in node && node.DropStmt.removeType === "OBJECT_TABLE") {
    return (node.DropStmt.objects ?? []).map((object) => {
      const parts = "List" in object ? namesOf(object.List.items) : [];
      return { table: parts.length > 1 ? { schema: parts[0] ?? UNQUALIFIED_SCHEMA, table: parts[1] ?? "?" } : { schema: UNQUALIFIED_SCHEMA, table: parts[0] ?? "?" } };
    });
  }
  if ("AlterTableStmt" in node) {
    const table = tableOf(node.AlterTableStmt.relation);
    return (node.AlterTableStmt.cmds ?? []).flatMap((cmd) => ("AlterTableCmd" in cmd && cmd.AlterTableCmd.subtype === "AT_DropColumn" && cmd.AlterTableCmd.name ? [{ table, column: cmd.AlterTableCmd.name }] : []));
  }
  return [];
}

export type { Fragments };
