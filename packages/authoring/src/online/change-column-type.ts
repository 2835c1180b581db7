import { REFERENTIAL_ACTION_NAMES, type LiveColumn, type LiveConstraint, type LiveForeignKey, type LiveIndex } from "@soleflip/catalog";
import { quoteTable, typeChangeRewrites, type Operation, type TableRef } from "@soleflip/planner";
import { parseStatementsSync, quoteIdent, quoteQualified } from "@soleflip/sql";
import { addedColumn, columnOf, indexKeyIs, joinSql, renderPlanned, type OnlineContext, type OnlineKind } from "./kind.ts";
import { backfillSql, dropSyncTriggerSql, gateSql, newColumnName, objectName, oldColumnName, syncFunctionSql, syncTriggerName, syncTriggerSql, triggerMissingSql } from "./sql.ts";

/** One column whose type changes, with what depends on it. */
interface Change {
  table: TableRef;
  column: string;
  live: LiveColumn;
  toType: string;
  primaryKey: LiveConstraint | undefined;
  uniques: LiveConstraint[];
  /** Plain indexes on the column alone (not behind a constraint). */
  indexes: LiveIndex[];
}

const INTEGER_RANGES: Record<string, [string, string]> = {
  smallint: ["-32768", "32767"],
  integer: ["-2147483648", "2147483647"],
};

/**
 * A column's type changes in a way PostgreSQL can only do by rewriting the table under ACCESS EXCLUSIVE
 * (Int to BigInt, on plain columns or on a primary key and the foreign keys that reference it; a type change
 * with a cast). Online:
 * - expand: a column of the new type beside each one (`_sf_new_<column>`), kept equal by a trigger, filled by
 *   a batched backfill, NOT NULL through a validated CHECK, its indexes (the key's unique one included)
 *   built concurrently;
 * - switch: behind a gate that every row is equal, one short transaction renames the columns into each
 *   other's place, moves the default and the sequence (widened), re-attaches the primary key and the
 *   unique constraints through the concurrently built indexes, and adds the foreign keys back NOT VALID,
 *   validated after it; the trigger now keeps the old column in step (for a rollback);
 * - contract, in a later run: the old columns and the trigger dropped.
 */
export const changeColumnType: OnlineKind = {
  id: "change-column-type",
  plan(context) {
    const changes = findChanges(context);
    if (!changes) return undefined;
    const { live } = context;
    const isChanged = (schema: string, table: string, column: string) => changes.some((c) => c.table.schema === schema && c.table.table === table && c.column === column);
    // Every foreign key on a changed column, or referencing one, is moved to the new columns in the switch.
    const foreignKeys = live.foreignKeys.filter((fk) => fk.columns.some((col) => isChanged(fk.schema, fk.table, col)) || fk.refColumns.some((col) => isChanged(fk.refSchema, fk.refTable, col)));
    // Beyond these, Prisma's diff may only drop and re-add those keys.
    for (const operation of context.operations) {
      if (operation.kind === "alter-column-type") continue;
      if (operation.kind === "drop-constraint" && foreignKeys.some((fk) => fk.schema === operation.table.schema && fk.table === operation.table.table && fk.name === operation.name)) continue;
      if (operation.kind === "ensure-foreign-key" && foreignKeys.some((fk) => fk.schema === operation.table.schema && fk.table === operation.table.table && fk.name === operation.name)) continue;
      return undefined;
    }
    const tables = groupByTable(changes);
    const added = changes.map((c) => addedColumn(c.table, newColumnName(c.column), c.toType));
    const expandFolder = context.folder("expand");
    const v = context.serverVersionNum;

    const expand = tables.map(({ table, changes: own }) => {
      const trigger = syncTriggerName(table, "type");
      return joinSql(
        own.map((c) => `ALTER TABLE ${quoteTable(table)} ADD COLUMN ${quoteIdent(newColumnName(c.column))} ${c.toType};`).join("\n"),
        syncTriggerSql(table, trigger, forwardBody(own), `Keeps ${own.map((c) => `${newColumnName(c.column)} equal to ${c.column}`).join(", ")} while the application writes ${own.length > 1 ? "them" : "it"}, until the switch.`),
        backfillSql(
          objectName("fill", table.table, "new", "types").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, ""),
          `rows written before the trigger existed: ${own.map((c) => `${newColumnName(c.column)} takes ${c.column}'s value as ${c.toType}`).join("; ")}; from now on the trigger keeps them equal`,
          table,
          own.map((c) => `${quoteIdent(newColumnName(c.column))} = CAST(${quoteIdent(c.column)} AS ${c.toType})`).join(", "),
          own.map((c) => `${quoteIdent(newColumnName(c.column))} IS DISTINCT FROM CAST(${quoteIdent(c.column)} AS ${c.toType})`).join(" OR "),
        ),
        renderPlanned(own.filter((c) => c.live.notNull).map((c) => `ALTER TABLE ${quoteTable(table)} ALTER COLUMN ${quoteIdent(newColumnName(c.column))} SET NOT NULL;`).join("\n"), live, added, v),
        renderPlanned(own.flatMap((c) => newIndexes(c)).join("\n"), live, added, v),
      );
    });

    const gate = gateSql(
      tables.flatMap(({ table, changes: own }) => [
        { failsWhen: triggerMissingSql(table, syncTriggerName(table, "type")), message: `the trigger ${syncTriggerName(table, "type")} that keeps the new columns of ${quoteTable(table)} equal is missing or disabled`, hint: `Re-create it from ${expandFolder}/migration.sql (or ENABLE it) and fill the rows again with the expand's UPDATE, then run again` },
        {
          countSql: `SELECT count(*) FROM ${quoteTable(table)} WHERE ${own.map((c) => `${quoteIdent(newColumnName(c.column))} IS DISTINCT FROM CAST(${quoteIdent(c.column)} AS ${c.toType})`).join(" OR ")}`,
          message: `% row(s) of ${quoteTable(table)} are not yet in their new column${own.length > 1 ? "s" : ""}: switching now would lose them`,
          hint: `Fill them with the expand's backfill (UPDATE ${quoteTable(table)} SET ${own.map((c) => `${quoteIdent(newColumnName(c.column))} = CAST(${quoteIdent(c.column)} AS ${c.toType})`).join(", ")} WHERE …), and check that the trigger is enabled, then run again`,
        },
      ]),
    );

    const switchUp = joinSql(
      gate,
      "-- One short transaction: the new columns take the old ones' place (their names, default, sequence, keys).",
      switchTransaction(tables, foreignKeys, "forward"),
    );

    // The switch's down.sql: the old columns back in their place, behind a gate that every value fits them.
    const oldAdded = changes.map((c) => ({ ...addedColumn(c.table, oldColumnName(c.column), c.live.type) }));
    const switchDown = joinSql(
      // The old columns' NOT NULL, proven before the transaction (a validated CHECK spares SET NOT NULL its scan).
      changes.filter((c) => c.live.notNull).map((c) => `ALTER TABLE ${quoteTable(c.table)} ADD CONSTRAINT ${quoteIdent(notNullCheckName(c))} CHECK (${quoteIdent(oldColumnName(c.column))} IS NOT NULL) NOT VALID;\nALTER TABLE ${quoteTable(c.table)} VALIDATE CONSTRAINT ${quoteIdent(notNullCheckName(c))};`).join("\n"),
      renderPlanned(changes.flatMap((c) => keyConstraints(c).map((constraint) => `CREATE UNIQUE INDEX ${quoteIdent(objectName("_sf_old", constraint.name))} ON ${quoteTable(c.table)} (${quoteIdent(oldColumnName(c.column))});`)).join("\n"), live, oldAdded, v),
      gateSql(
        changes.map((c) => ({
          countSql: `SELECT count(*) FROM ${quoteTable(c.table)} WHERE ${quoteIdent(oldColumnName(c.column))} IS DISTINCT FROM ${narrowingCast(quoteIdent(c.column), c.toType, c.live.type)}`,
          message: `% row(s) of ${quoteTable(c.table)} hold a ${c.column} that ${c.live.type} cannot take (or not yet copied back): switching back would lose them`,
          hint: `Those rows need ${c.column} values that fit ${c.live.type}; or roll forward instead`,
        })),
      ),
      switchTransaction(tables, foreignKeys, "back"),
      changes.filter((c) => c.live.notNull).map((c) => `ALTER TABLE ${quoteTable(c.table)} DROP CONSTRAINT ${quoteIdent(notNullCheckName(c))};`).join("\n"),
      // The expand's unique indexes on the new columns, which the key constraints took with them.
      renderPlanned(changes.flatMap((c) => keyConstraints(c).map((constraint) => `CREATE UNIQUE INDEX ${quoteIdent(objectName("_sf_new", constraint.name))} ON ${quoteTable(c.table)} (${quoteIdent(newColumnName(c.column))});`)).join("\n"), live, added, v),
    );

    const contract = tables.map(({ table, changes: own }) =>
      joinSql(
        dropSyncTriggerSql(table, syncTriggerName(table, "type")),
        `-- migrator:allow-hazard DELETES_DATA: the contract of ${expandFolder}: ${own.map((c) => oldColumnName(c.column)).join(", ")} only kept the values before the switch, for a rollback; every value is in ${own.map((c) => c.column).join(", ")}\n${own.map((c) => `ALTER TABLE ${quoteTable(table)} DROP COLUMN ${quoteIdent(oldColumnName(c.column))};`).join("\n")}`,
      ),
    );
    const contractDown = tables.map(({ table, changes: own }) =>
      joinSql(
        own.map((c) => `ALTER TABLE ${quoteTable(table)} ADD COLUMN ${quoteIdent(oldColumnName(c.column))} ${c.live.type};`).join("\n"),
        syncTriggerSql(table, syncTriggerName(table, "type"), reverseBody(own), `Keeps the old columns in step again, for a rollback of the switch.`),
        backfillSql(
          objectName("refill", table.table, "old", "types").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, ""),
          `the contract is undone: ${own.map((c) => `${oldColumnName(c.column)} takes ${c.column}'s value where ${c.live.type} can hold it`).join("; ")}`,
          table,
          own.map((c) => `${quoteIdent(oldColumnName(c.column))} = ${narrowingCast(quoteIdent(c.column), c.toType, c.live.type)}`).join(", "),
          own.map((c) => `${quoteIdent(oldColumnName(c.column))} IS DISTINCT FROM ${narrowingCast(quoteIdent(c.column), c.toType, c.live.type)}`).join(" OR "),
        ),
        renderPlanned(own.flatMap((c) => c.indexes.map((index) => renamedIndexDefinition(index, objectName("_sf_old", index.name), oldColumnName(c.column)))).join("\n"), live, changes.map((c) => addedColumn(c.table, oldColumnName(c.column), c.live.type)), v),
      ),
    );

    const title = changes.map((c) => `${quoteTable(c.table)}.${c.column} ${c.live.type} → ${c.toType}`).join(", ");
    return {
      kind: "change-column-type",
      title,
      phases: [
        {
          name: "expand",
          summary: `adds ${changes.map((c) => newColumnName(c.column)).join(", ")} (${[...new Set(changes.map((c) => c.toType))].join(", ")}) beside ${changes.map((c) => c.column).join(", ")}, kept equal by a trigger, filled by a batched backfill, with ${changes.some((c) => c.primaryKey) ? "the key's unique index and " : ""}NOT NULL proven online`,
          up: joinSql(...expand),
          down: joinSql(...tables.map(({ table, changes: own }) => joinSql(dropSyncTriggerSql(table, syncTriggerName(table, "type")), `-- migrator:allow-hazard DELETES_DATA: rolling back the expand loses nothing: ${own.map((c) => c.column).join(", ")} still hold${own.length > 1 ? "" : "s"} every value\n${own.map((c) => `ALTER TABLE ${quoteTable(table)} DROP COLUMN ${quoteIdent(newColumnName(c.column))};`).join("\n")}`))),
        },
        {
          name: "switch",
          summary: `puts the new columns in the old ones' place in one short transaction, behind a gate that every row is equal${foreignKeys.length > 0 ? `; the foreign keys come back NOT VALID and are validated after it` : ""}; the old columns stay, kept in step, for a rollback`,
          up: switchUp,
          down: switchDown,
        },
        {
          name: "contract",
          summary: `drops the old columns and the trigger, in a run after the expand's`,
          up: joinSql(`-- migrator:contract-of ${expandFolder}`, ...contract).replace(`-- migrator:contract-of ${expandFolder}\n\n`, `-- migrator:contract-of ${expandFolder}\n`),
          down: joinSql(...contractDown),
        },
      ],
    };
  },
};

/**
 * The switch, one direction or the other: the foreign keys dropped, every table's columns swapped, the keys
 * added back NOT VALID, in one transaction; then the keys that were valid validated (no write-blocking lock).
 */
function switchTransaction(tables: ReadonlyArray<{ table: TableRef; changes: Change[] }>, foreignKeys: readonly LiveForeignKey[], direction: "forward" | "back"): string {
  return joinSql(
    [
      "BEGIN;",
      ...foreignKeys.map((fk) => `ALTER TABLE ${quoteQualified(fk.schema, fk.table)} DROP CONSTRAINT ${quoteIdent(fk.name)};`),
      ...tables.flatMap(({ table, changes }) => swapStatements(table, changes, direction)),
      ...foreignKeys.map(addForeignKey),
      "COMMIT;",
    ].join("\n"),
    foreignKeys.filter((fk) => fk.validated).map((fk) => `ALTER TABLE ${quoteQualified(fk.schema, fk.table)} VALIDATE CONSTRAINT ${quoteIdent(fk.name)};`).join("\n"),
  );
}

/** The switch's renames, one direction or the other, for one table's changed columns. */
function swapStatements(table: TableRef, changes: readonly Change[], direction: "forward" | "back"): string[] {
  const t = quoteTable(table);
  const statements: string[] = [];
  for (const c of changes) {
    const [current, incoming] = direction === "forward" ? [c.column, newColumnName(c.column)] : [c.column, oldColumnName(c.column)];
    const parked = direction === "forward" ? oldColumnName(c.column) : newColumnName(c.column);
    if (c.primaryKey) statements.push(`ALTER TABLE ${t} DROP CONSTRAINT ${quoteIdent(c.primaryKey.name)};`);
    for (const unique of c.uniques) statements.push(`ALTER TABLE ${t} DROP CONSTRAINT ${quoteIdent(unique.name)};`);
    const why = "-- migrator-ignore renaming-column: the column keeps its name for the application; only the one behind it changes, in this transaction";
    statements.push(why, `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(current)} TO ${quoteIdent(parked)};`, why, `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(incoming)} TO ${quoteIdent(current)};`);
    if (c.live.default) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(parked)} DROP DEFAULT;`, `ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(current)} SET DEFAULT ${c.live.default};`);
    if (direction === "forward" && c.live.notNull) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(parked)} DROP NOT NULL;`);
    if (direction === "back" && c.live.notNull) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(current)} SET NOT NULL;`);
    if (c.live.sequence) {
      const sequence = quoteQualified(c.live.sequence.schema, c.live.sequence.name);
      const type = direction === "forward" ? sequenceType(c.toType, c.live.sequence.type) : c.live.sequence.type;
      statements.push(`ALTER SEQUENCE ${sequence} AS ${type} OWNED BY ${t}.${quoteIdent(current)};`);
    }
    const keyIndex = (name: string) => quoteIdent(objectName(direction === "forward" ? "_sf_new" : "_sf_old", name));
    if (c.primaryKey) statements.push(`ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(c.primaryKey.name)} PRIMARY KEY USING INDEX ${keyIndex(c.primaryKey.name)};`);
    for (const unique of c.uniques) statements.push(`ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(unique.name)} UNIQUE USING INDEX ${keyIndex(unique.name)};`);
    for (const index of c.indexes) {
      const schema = index.schema;
      const away = objectName(direction === "forward" ? "_sf_old" : "_sf_new", index.name);
      const back = objectName(direction === "forward" ? "_sf_new" : "_sf_old", index.name);
      statements.push(`ALTER INDEX ${quoteQualified(schema, index.name)} RENAME TO ${quoteIdent(away)};`, `ALTER INDEX ${quoteQualified(schema, back)} RENAME TO ${quoteIdent(index.name)};`);
    }
  }
  // The trigger now keeps the other column in step with the one in place.
  statements.push(syncFunctionSql(table, syncTriggerName(table, "type"), direction === "forward" ? reverseBody(changes) : forwardBody(changes)));
  return statements;
}

/** A foreign key back as it was, NOT VALID (validated after the switch's transaction when it was valid). */
function addForeignKey(fk: LiveForeignKey): string {
  const columns = (names: readonly string[]) => names.map((name) => quoteIdent(name)).join(", ");
  return `ALTER TABLE ${quoteQualified(fk.schema, fk.table)} ADD CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${columns(fk.columns)}) REFERENCES ${quoteQualified(fk.refSchema, fk.refTable)} (${columns(fk.refColumns)}) ON DELETE ${REFERENTIAL_ACTION_NAMES[fk.onDelete]} ON UPDATE ${REFERENTIAL_ACTION_NAMES[fk.onUpdate]} NOT VALID;`;
}

/** Before the switch: the new column takes the old one's value in the new type. */
function forwardBody(changes: readonly Change[]): string {
  return changes.map((c) => `NEW.${quoteIdent(newColumnName(c.column))} := CAST(NEW.${quoteIdent(c.column)} AS ${c.toType});`).join("\n");
}

const keyConstraints = (c: Change): LiveConstraint[] => [...(c.primaryKey ? [c.primaryKey] : []), ...c.uniques];

/** After the switch: the old column takes the value back where its type can hold it (NULL where it cannot: a rollback refuses those rows). */
function reverseBody(changes: readonly Change[]): string {
  return changes.map((c) => `NEW.${quoteIdent(oldColumnName(c.column))} := ${narrowingCast(`NEW.${quoteIdent(c.column)}`, c.toType, c.live.type)};`).join("\n");
}

/** A value of type `from` as type `to`, or NULL where `to` cannot hold it (integers by range, without a subtransaction). */
function narrowingCast(value: string, from: string, to: string): string {
  const range = INTEGER_RANGES[to];
  if (range && ["bigint", "integer", "smallint"].includes(from)) return `CASE WHEN ${value} BETWEEN ${range[0]} AND ${range[1]} THEN CAST(${value} AS ${to}) END`;
  return `CAST(${value} AS ${to})`;
}

/** The sequence counts in the widest of its type and the column's new one. */
function sequenceType(columnType: string, current: string): string {
  const order = ["smallint", "integer", "bigint"];
  return order.indexOf(columnType) > order.indexOf(current) ? columnType : current;
}

const notNullCheckName = (c: Change) => objectName(c.table.table, oldColumnName(c.column), "not_null");

/** The new column's indexes: a unique one for the key and each unique constraint, the column's plain indexes again. */
function newIndexes(c: Change): string[] {
  const keys = keyConstraints(c).map((constraint) => `CREATE UNIQUE INDEX ${quoteIdent(objectName("_sf_new", constraint.name))} ON ${quoteTable(c.table)} (${quoteIdent(newColumnName(c.column))});`);
  return [...keys, ...c.indexes.map((index) => renamedIndexDefinition(index, objectName("_sf_new", index.name), newColumnName(c.column)))];
}

/** An index's definition on another column of the same table under another name, read and rewritten by the parser. */
function renamedIndexDefinition(index: LiveIndex, name: string, to: string): string {
  const [statement] = parseStatementsSync(index.definition);
  if (!statement || !("IndexStmt" in statement.node)) return "";
  const node = statement.node.IndexStmt;
  return `CREATE ${node.unique ? "UNIQUE " : ""}INDEX ${quoteIdent(name)} ON ${quoteQualified(index.schema, index.table)} USING ${node.accessMethod ?? "btree"} (${quoteIdent(to)});`;
}

/**
 * Conversions every value survives unchanged: integers to wider integers or to numeric, real to double
 * precision. Others (text to integer, a lower precision, a shorter varchar) can fail on a value an old
 * version writes during the window: they stay Prisma's form, whose pre-flight counts the values that do not fit.
 */
const WIDER: Record<string, readonly string[]> = {
  smallint: ["integer", "bigint", "numeric"],
  integer: ["bigint", "numeric"],
  bigint: ["numeric"],
  real: ["double precision"],
};

export function losslessWidening(from: string, to: string): boolean {
  return WIDER[from]?.includes(to) === true;
}

function groupByTable(changes: readonly Change[]): Array<{ table: TableRef; changes: Change[] }> {
  const groups: Array<{ table: TableRef; changes: Change[] }> = [];
  for (const change of changes) {
    const group = groups.find((g) => g.table.schema === change.table.schema && g.table.table === change.table.table);
    if (group) group.changes.push(change);
    else groups.push({ table: change.table, changes: [change] });
  }
  return groups;
}

/**
 * The columns Prisma's diff changes with a rewrite, each with what depends on it; undefined when one of them
 * has a dependent the online form does not move (a CHECK, a multi-column or expression index, a partitioned
 * table, no single-column primary key to batch the backfill by).
 */
function findChanges(context: OnlineContext): Change[] | undefined {
  const { live } = context;
  const alters = context.operations.filter((op): op is Extract<Operation, { kind: "alter-column-type" }> => op.kind === "alter-column-type");
  if (alters.length === 0) return undefined;
  const changes: Change[] = [];
  for (const alter of alters) {
    for (const change of alter.changes) {
      const column = columnOf(live, alter.table, change.column);
      const toType = change.sequenceType ?? change.formattedType;
      if (!column || !toType || change.usingSql) return undefined;
      // Only conversions that cannot fail or change a value: the trigger casts every write the old version makes.
      if (!typeChangeRewrites(column.type, toType, false) || !losslessWidening(column.type, toType)) return undefined;
      const onTable = (entry: { schema: string; table: string }) => entry.schema === alter.table.schema && entry.table === alter.table.table;
      const tableInfo = live.tables.find(onTable);
      if (!tableInfo || tableInfo.partitioned) return undefined;
      const constraints = live.constraints.filter((c) => onTable(c) && c.columns.includes(change.column));
      if (constraints.some((c) => c.kind !== "p" && c.kind !== "u") || constraints.some((c) => c.columns.length !== 1)) return undefined;
      const primaryKey = constraints.find((c) => c.kind === "p");
      const tableKey = live.constraints.find((c) => onTable(c) && c.kind === "p");
      if (!tableKey || tableKey.columns.length !== 1) return undefined;
      const indexes = live.indexes.filter((index) => onTable(index) && index.columns.some((key) => indexKeyIs(key, change.column)) && !index.backsConstraint);
      if (indexes.some((index) => index.columns.length !== 1 || index.predicate !== null || index.parentIndex !== null)) return undefined;
      changes.push({ table: alter.table, column: change.column, live: column, toType, primaryKey, uniques: constraints.filter((c) => c.kind === "u"), indexes });
    }
  }
  // Foreign keys between changed and unchanged columns stay as they are only when both sides change together.
  for (const fk of live.foreignKeys) {
    const changed = (schema: string, table: string, column: string) => changes.some((c) => c.table.schema === schema && c.table.table === table && c.column === column);
    const from = fk.columns.map((col) => changed(fk.schema, fk.table, col));
    const to = fk.refColumns.map((col) => changed(fk.refSchema, fk.refTable, col));
    if ((from.some(Boolean) || to.some(Boolean)) && (fk.columns.length !== 1 || fk.refColumns.length !== 1)) return undefined;
  }
  return changes;
}
