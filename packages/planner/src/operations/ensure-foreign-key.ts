import { REFERENTIAL_ACTION_NAMES, type LiveForeignKey, type LiveSchema, type ReferentialAction } from "@soleflip/catalog";
import { quoteIdent } from "@soleflip/sql";
import { statementsOf, type Fragment, type Fragments } from "../fragments.ts";
import { statementLocks } from "../locks.ts";
import { tableName, type EnsureForeignKey } from "../operations.ts";
import { countedCheck, rowsText } from "../preflight-query.ts";
import { namesOf, partitionsOf, primaryKeyColumns, quoteTable, rowKeySql, sameTable, tableExists, tableOf } from "../sql-parts.ts";
import { ddlStep, dropConstraintSql, renameConstraintSql, validationStep, withSuffix } from "../steps.ts";
import type { OperationModule, PlanContext, PlannedOperation, Step, TableRef } from "../types.ts";

/**
 * A foreign key with these columns, target and actions, validated. Prisma's drop-and-add, the online
 * swap (add NOT VALID, validate, drop, rename) and a plain ADD CONSTRAINT all read as this one end
 * result; the plan adds NOT VALID (new rows checked at once), validates without blocking writes, and
 * swaps the new key in for an old one in one short ACCESS EXCLUSIVE step.
 */
export const ensureForeignKey: OperationModule<"ensure-foreign-key"> = {
  kind: "ensure-foreign-key",
  summary: "A foreign key with exact columns, target and ON DELETE / ON UPDATE actions: added NOT VALID, validated, swapped in.",
  recognise(fragments) {
    for (const add of fragments.alterCommands("AT_AddConstraint")) {
      const def = add.alter.cmd.def;
      const constraint = def && "Constraint" in def ? def.Constraint : undefined;
      if (constraint?.contype !== "CONSTR_FOREIGN" || fragments.isClaimed(add)) continue;
      if (!constraint.conname) {
        fragments.problem(add.statement, "name the foreign key (ADD CONSTRAINT <name> FOREIGN KEY …) so that it can be found by definition and reported");
        fragments.discard([add]);
        continue;
      }
      const table = add.alter.table;
      const name = constraint.conname;
      const absorbed: Fragment[] = [add];
      let finalName = name;
      for (const rename of fragments.statements("RenameStmt")) {
        const node = rename.statement.node;
        if (!("RenameStmt" in node) || node.RenameStmt.renameType !== "OBJECT_TABCONSTRAINT") continue;
        if (sameTable(tableOf(node.RenameStmt.relation), table) && node.RenameStmt.subname === finalName) {
          finalName = node.RenameStmt.newname ?? finalName;
          absorbed.push(rename);
        }
      }
      let validated = constraint.skip_validation !== true;
      let dropsOwnName = false;
      const ref = tableOf(constraint.pktable);
      for (const other of fragments.alterCommands("AT_ValidateConstraint", "AT_DropConstraint")) {
        if (!sameTable(other.alter.table, table) || (other.alter.cmd.name !== name && other.alter.cmd.name !== finalName)) continue;
        // A drop that comes before changes to the key's tables (Prisma's type change of a key: drop the
        // foreign key, change the columns, add it back) stays where it is, so that no step runs against a
        // half-changed pair; the key is then added afresh.
        if (other.alter.cmd.subtype === "AT_DropConstraint" && other.position < add.position && changesBetween(fragments, other.position, add.position, [table, ref])) continue;
        absorbed.push(other);
        if (other.alter.cmd.subtype === "AT_ValidateConstraint") validated = true;
        else dropsOwnName = true;
      }
      const operation: EnsureForeignKey = {
        kind: "ensure-foreign-key",
        id: `ensure-foreign-key:${tableName(table)}.${finalName}`,
        statements: statementsOf(absorbed),
        table,
        name: finalName,
        columns: namesOf(constraint.fk_attrs),
        ref: tableOf(constraint.pktable),
        refColumns: namesOf(constraint.pk_attrs),
        onDelete: (constraint.fk_del_action ?? "a") as ReferentialAction,
        onUpdate: (constraint.fk_upd_action ?? "a") as ReferentialAction,
        validated,
        replacesSameName: dropsOwnName,
      };
      fragments.claim(absorbed, operation, add);
    }
  },
  plan: planForeignKey,
  async preflight(operation, { client, live, migration, addedColumns }) {
    if (!operation.validated || !tableExists(live, operation.table)) return [];
    const identity = { id: `orphans:${tableName(operation.table)}.${operation.name}`, migration, operationId: operation.id, check: "orphans" as const, table: tableName(operation.table), columns: operation.columns };
    const added = operation.columns.filter((column) => addedColumns.some((a) => sameTable(a.table, operation.table) && a.column === column));
    if (added.length > 0) {
      return [{ ...identity, count: 0, sampleKeys: [], sql: "", passed: true, message: `${added.join(", ")} is added by this migration: existing rows hold its default, checked when the key is validated` }];
    }
    const notNull = operation.columns.map((column) => `t.${quoteIdent(column)} IS NOT NULL`).join(" AND ");
    let fromWhere: string;
    if (!tableExists(live, operation.ref)) {
      // The referenced table is created by this migration: it is empty, so every non-NULL value is an orphan.
      fromWhere = `FROM ${quoteTable(operation.table)} AS t WHERE ${notNull}`;
    } else {
      const refColumns = operation.refColumns.length > 0 ? operation.refColumns : primaryKeyColumns(live, operation.ref);
      const join = operation.columns.map((column, i) => `r.${quoteIdent(refColumns[i] ?? column)} = t.${quoteIdent(column)}`).join(" AND ");
      fromWhere = `FROM ${quoteTable(operation.table)} AS t WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${quoteTable(operation.ref)} AS r WHERE ${join})`;
    }
    return [
      await countedCheck(client, identity, fromWhere, rowKeySql(live, operation.table, "t"), (count) =>
        count === 0
          ? `no rows of ${tableName(operation.table)} reference a missing ${tableName(operation.ref)}`
          : `${rowsText(count)} of ${tableName(operation.table)} ${count === 1 ? "has" : "have"} ${operation.columns.join(", ")} pointing at no ${tableName(operation.ref)} row; foreign key ${operation.name} cannot be validated`,
      ),
    ];
  },
  managedObjects(operation, structures) {
    const { schema, table } = operation.table;
    const names = new Set([operation.name, withSuffix(operation.name, "_new")]);
    for (const structure of structures) {
      for (const fk of structure.foreignKeys) if (sameTable(fk, operation.table) && fk.columns.join(",") === operation.columns.join(",")) names.add(fk.name);
    }
    return [...names].map((name) => ({ kind: "constraint" as const, name: `${schema}.${table}.${name}` }));
  },
  alternative: () => undefined,
};

/** Whether anything other than foreign-key drops and adds touches these tables between two positions. */
function changesBetween(fragments: Fragments, from: number, to: number, tables: TableRef[]): boolean {
  return fragments.all.some((fragment) => {
    if (fragment.position <= from || fragment.position >= to) return false;
    const cmd = fragment.alter?.cmd;
    const def = cmd?.def;
    const isForeignKeyChange = cmd?.subtype === "AT_DropConstraint" || (cmd?.subtype === "AT_AddConstraint" && def !== undefined && "Constraint" in def && def.Constraint.contype === "CONSTR_FOREIGN");
    if (isForeignKeyChange) return false;
    const touched = fragment.alter ? [fragment.alter.table] : statementLocks(fragment.statement.node).map((lock) => lock.table);
    return touched.some((t) => tables.some((table) => sameTable(t, table)));
  });
}

function resolvedRefColumns(operation: EnsureForeignKey, live: LiveSchema): string[] {
  if (operation.refColumns.length > 0) return operation.refColumns;
  const primary = primaryKeyColumns(live, operation.ref);
  return primary.length > 0 ? primary : operation.columns;
}

export function describeForeignKey(fk: LiveForeignKey): string {
  return `${fk.name} (ON DELETE ${REFERENTIAL_ACTION_NAMES[fk.onDelete]}, ON UPDATE ${REFERENTIAL_ACTION_NAMES[fk.onUpdate]}${fk.validated ? "" : ", NOT VALID"})`;
}

function planForeignKey(operation: EnsureForeignKey, { live, serverVersionNum }: PlanContext): PlannedOperation {
  const refColumns = resolvedRefColumns(operation, live);
  const onSameColumns = live.foreignKeys.filter((fk) => sameTable(fk, operation.table) && fk.columns.join(",") === operation.columns.join(","));
  const matches = (fk: LiveForeignKey) =>
    fk.refSchema === operation.ref.schema &&
    fk.refTable === operation.ref.table &&
    fk.refColumns.join(",") === refColumns.join(",") &&
    fk.onDelete === operation.onDelete &&
    fk.onUpdate === operation.onUpdate;
  const keep = onSameColumns
    .filter(matches)
    .sort((a, b) => Number(b.name === operation.name) - Number(a.name === operation.name) || Number(b.validated) - Number(a.validated))[0];
  // Keys on these columns that are not the one we keep go; so does a key of the same name on other
  // columns when the migration itself dropped it (Prisma's drop-and-add).
  const sameNameElsewhere = operation.replacesSameName
    ? live.foreignKeys.filter((fk) => sameTable(fk, operation.table) && fk.name === operation.name && !onSameColumns.includes(fk))
    : [];
  const others = [...onSameColumns.filter((fk) => fk !== keep), ...sameNameElsewhere];
  const found = onSameColumns.length === 0 ? "no foreign key on these columns" : `found ${onSameColumns.map(describeForeignKey).join(", ")}`;
  const steps: Step[] = [];
  let current = keep?.name;

  const partitioned = live.tables.find((table) => sameTable(table, operation.table))?.partitioned === true;
  if (!keep && partitioned && serverVersionNum < 180_000 && others.length === 0 && operation.validated) {
    return { operation, status: "absent", found: `${found}; ${tableName(operation.table)} is partitioned`, steps: perPartitionSteps(operation, operation.table, refColumns, live) };
  }
  if (!keep) {
    const nameTaken =
      live.foreignKeys.some((fk) => sameTable(fk, operation.table) && fk.name === operation.name) ||
      live.constraints.some((c) => sameTable(c, operation.table) && c.name === operation.name);
    current = nameTaken ? withSuffix(operation.name, "_new") : operation.name;
    steps.push(
      ddlStep(
        `add ${current} NOT VALID (checks new rows only)`,
        [
          `ALTER TABLE ${quoteTable(operation.table)} ADD CONSTRAINT ${quoteIdent(current)} FOREIGN KEY (${operation.columns.map(quoteIdent).join(", ")}) ` +
            `REFERENCES ${quoteTable(operation.ref)} (${refColumns.map(quoteIdent).join(", ")}) ` +
            `ON DELETE ${REFERENTIAL_ACTION_NAMES[operation.onDelete]} ON UPDATE ${REFERENTIAL_ACTION_NAMES[operation.onUpdate]} NOT VALID`,
        ],
        operation.table,
        "SHARE ROW EXCLUSIVE",
        [operation.ref],
      ),
    );
  }
  if (operation.validated && !keep?.validated) steps.push(validationStep(operation.table, current ?? operation.name));
  const swap: string[] = others.map((fk) => dropConstraintSql(operation.table, fk.name));
  if (current !== operation.name) swap.push(renameConstraintSql(operation.table, current ?? "", operation.name));
  if (swap.length > 0) {
    steps.push(ddlStep(`swap in ${operation.name}${others.length ? `, dropping ${others.map((fk) => fk.name).join(", ")}` : ""}`, swap, operation.table, "ACCESS EXCLUSIVE", [operation.ref]));
  }
  const status = steps.length === 0 ? "present" : keep || onSameColumns.length > 0 ? "partial" : "absent";
  return { operation, status, found, steps };
}

/**
 * Before PostgreSQL 18 a foreign key cannot be added NOT VALID to a partitioned table, and a plain ADD
 * validates every partition under SHARE ROW EXCLUSIVE (writes stop for the whole scan). So the key is
 * added NOT VALID and validated on each partition (writes continue), then added on the parent, which
 * adopts the partitions' equal keys instead of scanning again (milliseconds). Sub-partitions recurse.
 * Each step is skipped when an earlier, interrupted run already did it.
 */
function perPartitionSteps(operation: EnsureForeignKey, table: TableRef, refColumns: string[], live: LiveSchema, name = operation.name): Step[] {
  const steps: Step[] = [];
  const definition = (constraint: string) =>
    `ADD CONSTRAINT ${quoteIdent(constraint)} FOREIGN KEY (${operation.columns.map(quoteIdent).join(", ")}) REFERENCES ${quoteTable(operation.ref)} (${refColumns.map(quoteIdent).join(", ")}) ` +
    `ON DELETE ${REFERENTIAL_ACTION_NAMES[operation.onDelete]} ON UPDATE ${REFERENTIAL_ACTION_NAMES[operation.onUpdate]}`;
  for (const partition of partitionsOf(live, table)) {
    const child: TableRef = { schema: partition.schema, table: partition.table };
    // A constraint's name is per table: each partition's key takes the parent's name, as PostgreSQL's own clones do.
    const childName = name;
    if (partition.partitioned) {
      steps.push(...perPartitionSteps(operation, child, refColumns, live, childName));
      continue;
    }
    const existing = live.foreignKeys.find((fk) => sameTable(fk, child) && fk.name === childName);
    if (!existing) steps.push(ddlStep(`add ${childName} NOT VALID on partition ${tableName(child)} (checks new rows only)`, [`ALTER TABLE ${quoteTable(child)} ${definition(childName)} NOT VALID`], child, "SHARE ROW EXCLUSIVE", [operation.ref]));
    if (!existing?.validated) steps.push(validationStep(child, childName));
  }
  // Adopting a partition's key drops that key's own triggers on the referenced table, which takes ACCESS
  // EXCLUSIVE there for the moment of the statement (seen in the observed rehearsal on 14 to 17).
  steps.push(ddlStep(`add ${name} on ${tableName(table)}, adopting the partitions' validated keys (no scan; ACCESS EXCLUSIVE on ${tableName(operation.ref)} for milliseconds)`, [`ALTER TABLE ${quoteTable(table)} ${definition(name)}`], operation.ref, "ACCESS EXCLUSIVE", [table]));
  return steps;
}

export type { TableRef };
