import { quoteIdent } from "@soleflip/sql";
import { tableName, type EnsureUniqueConstraint } from "../operations.ts";
import { countedCheck, rowsText } from "../preflight-query.ts";
import { findColumn, namesOf, quoteTable, rowKeySql, sameTable, tableExists } from "../sql-parts.ts";
import { ddlStep, validationStep, withSuffix } from "../steps.ts";
import { dropIndexConcurrentlyStep } from "./ensure-index.ts";
import type { OperationModule, PlannedOperation, PreflightResult, Step } from "../types.ts";

/**
 * A UNIQUE or PRIMARY KEY constraint on existing rows. ADD CONSTRAINT builds its index under an
 * ACCESS EXCLUSIVE lock for the whole build; instead the unique index is built CONCURRENTLY, then
 * attached with ADD CONSTRAINT … USING INDEX (a catalog change). A primary key's columns are made NOT
 * NULL first through a validated CHECK, so that the attach does not scan.
 */
export const ensureUniqueConstraint: OperationModule<"ensure-unique-constraint"> = {
  kind: "ensure-unique-constraint",
  summary: "UNIQUE / PRIMARY KEY on an existing table: unique index built CONCURRENTLY, then ADD CONSTRAINT … USING INDEX.",
  recognise(fragments) {
    for (const add of fragments.alterCommands("AT_AddConstraint")) {
      const def = add.alter.cmd.def;
      const constraint = def && "Constraint" in def ? def.Constraint : undefined;
      if (!constraint || !["CONSTR_UNIQUE", "CONSTR_PRIMARY"].includes(constraint.contype ?? "") || constraint.indexname || !constraint.keys?.length) continue;
      const primary = constraint.contype === "CONSTR_PRIMARY";
      const name = constraint.conname ?? `${add.alter.table.table}_${primary ? "pkey" : `${namesOf(constraint.keys).join("_")}_key`}`;
      fragments.claim([add], {
        kind: "ensure-unique-constraint",
        id: `ensure-unique-constraint:${tableName(add.alter.table)}.${name}`,
        statements: [add.statement],
        table: add.alter.table,
        name,
        primary,
        columns: namesOf(constraint.keys),
      });
    }
  },
  plan(operation, { live }): PlannedOperation {
    const kind = operation.primary ? "p" : "u";
    const table = tableName(operation.table);
    const existing = live.constraints.find((c) => sameTable(c, operation.table) && c.kind === kind && c.columns.join(",") === operation.columns.join(","));
    if (existing) return { operation, status: "present", found: `${existing.name} exists on (${operation.columns.join(", ")})`, steps: [] };
    const columns = operation.columns.map(quoteIdent).join(", ");
    if (!tableExists(live, operation.table)) {
      return {
        operation,
        status: "absent",
        found: "table created earlier in this run",
        steps: [ddlStep(`add ${operation.primary ? "PRIMARY KEY" : "UNIQUE"} ${operation.name}`, [`ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(operation.name)} ${operation.primary ? "PRIMARY KEY" : "UNIQUE"} (${columns})`], operation.table, "ACCESS EXCLUSIVE")],
      };
    }
    const index = live.indexes.find((i) => sameTable(i, operation.table) && i.name === operation.name);
    const steps: Step[] = [];
    // An index of that name on other columns (the primary key moved: the old key's index, until the earlier
    // DROP CONSTRAINT removes it) is dropped and the right one built.
    const unusable = index !== undefined && (!index.valid || !index.unique || index.columns.join(",") !== operation.columns.map(quoteIdent).join(","));
    if (unusable) steps.push(dropIndexConcurrentlyStep(operation.table.schema, operation.name, table, undefined, operation.table.implicit));
    if (!index || unusable) {
      steps.push({
        description: `build the unique index ${operation.name} CONCURRENTLY (reads and writes continue)`,
        sql: [`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(operation.name)} ON ${quoteTable(operation.table)} (${columns})`],
        transactional: false,
        lock: "SHARE UPDATE EXCLUSIVE",
        tables: [table],
        hazards: ["INDEX_BUILD", "NON_TRANSACTIONAL"],
        progress: { kind: "index-build", index: `${operation.table.schema}.${operation.name}` },
      });
    }
    if (operation.primary) {
      for (const column of operation.columns) {
        if (findColumn(live, operation.table, column)?.notNull) continue;
        const check = withSuffix(`${operation.table.table}_${column}`, "_not_null_check");
        steps.push(ddlStep(`add CHECK (${column} IS NOT NULL) NOT VALID`, [`ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(column)} IS NOT NULL) NOT VALID`], operation.table, "ACCESS EXCLUSIVE"));
        steps.push(validationStep(operation.table, check));
        steps.push(ddlStep(`SET NOT NULL ${column} (proved by the CHECK, no scan)`, [`ALTER TABLE ${quoteTable(operation.table)} ALTER COLUMN ${quoteIdent(column)} SET NOT NULL`, `ALTER TABLE ${quoteTable(operation.table)} DROP CONSTRAINT ${quoteIdent(check)}`], operation.table, "ACCESS EXCLUSIVE"));
      }
    }
    steps.push(ddlStep(`attach ${operation.name} as the ${operation.primary ? "primary key" : "unique constraint"} (catalog only)`, [`ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(operation.name)} ${operation.primary ? "PRIMARY KEY" : "UNIQUE"} USING INDEX ${quoteIdent(operation.name)}`], operation.table, "ACCESS EXCLUSIVE"));
    return { operation, status: index ? "partial" : "absent", found: index ? `index ${operation.name} exists${index.valid ? "" : " INVALID"}` : "no such constraint", steps };
  },
  async preflight(operation, { client, live, migration }) {
    if (!tableExists(live, operation.table)) return [];
    const results: PreflightResult[] = [];
    const columns = operation.columns.map(quoteIdent);
    const fromWhere = `FROM (SELECT ${columns.map((c, i) => `${c} AS k${i}`).join(", ")} FROM ${quoteTable(operation.table)} WHERE ${columns.map((c) => `${c} IS NOT NULL`).join(" AND ")} GROUP BY ${columns.map((_, i) => i + 1).join(", ")} HAVING count(*) > 1) AS d`;
    const identity = (check: "duplicates" | "nulls") => ({ id: `${check}:${tableName(operation.table)}.${operation.name}`, migration, operationId: operation.id, check, table: tableName(operation.table), columns: operation.columns });
    results.push(
      await countedCheck(client, identity("duplicates"), fromWhere, columns.map((_, i) => `d.k${i}::text`).join(` || ',' || `), (count) =>
        count === 0 ? `no duplicate (${operation.columns.join(", ")}) values` : `${count} duplicated value(s) of (${operation.columns.join(", ")}) in ${tableName(operation.table)}; ${operation.name} cannot be added`,
      ),
    );
    if (operation.primary) {
      const nulls = `FROM ${quoteTable(operation.table)} AS t WHERE ${columns.map((c) => `t.${c} IS NULL`).join(" OR ")}`;
      results.push(
        await countedCheck(client, identity("nulls"), nulls, rowKeySql(live, operation.table, "t"), (count) =>
          count === 0 ? `no NULL in (${operation.columns.join(", ")})` : `${rowsText(count)} of ${tableName(operation.table)} have a NULL in (${operation.columns.join(", ")}); a primary key cannot hold them`,
        ),
      );
    }
    return results;
  },
  managedObjects: (operation) => [
    { kind: "constraint", name: `${tableName(operation.table)}.${operation.name}` },
    { kind: "index", name: `${operation.table.schema}.${operation.name}` },
  ],
  alternative: () => undefined,
};
