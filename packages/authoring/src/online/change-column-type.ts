import { REFERENTIAL_ACTION_NAMES, type LiveColumn, type LiveConstraint, type LiveForeignKey, type LiveIndex } from "@soleflip/catalog";
import { quoteTable, typeChangeRewrites, type Operation, type TableRef } from "@soleflip/planner";
import { parseStatementsSync, quoteIdent, quoteQualified } from "@soleflip/sql";
import { addedColumn, columnOf, droppedColumns, indexKeyIs, joinSql, renderPlanned, type OnlineContext, type OnlineKind } from "./kind.ts";
import { backfillSql, dropSyncTriggerSql, gateSql, newColumnName, objectName, oldColumnName, quoteFunction, syncFunctionSql, syncTriggerName, syncTriggerSql, triggerMissingSql } from "./sql.ts";

/** One column whose type changes, with what depends on it. */
interface Change {
  table: TableRef;
  column: string;
  live: LiveColumn;
  toType: string;
  /**
   * "widen": every value survives the cast (Int to BigInt). "checked": a value may not convert (text to
   * integer, a narrower integer): it is NULL in the new column, and the switch's gate refuses while any is.
   */
  conversion: "widen" | "checked";
  /** The column after the change: Prisma's added column's NOT NULL and default, or the old ones for an ALTER. */
  notNull: boolean;
  default: string | null;
  /** Prisma's operations the change stands for: its ALTER … TYPE, or its DROP COLUMN and ADD COLUMN. */
  replaces: Operation[];
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
 * with a cast), or only as a drop and an add that loses every value (String to Int: "no cast exists"). Online:
 * - expand: a column of the new type beside each one (`_sf_new_<column>`), kept equal by a trigger, filled by
 *   a batched backfill, NOT NULL through a validated CHECK, its indexes (the key's unique one included)
 *   built concurrently;
 * - switch: behind a gate that every row is equal, one short transaction renames the columns into each
 *   other's place, moves the default and the sequence (widened), re-attaches the primary key and the
 *   unique constraints through the concurrently built indexes, and adds the foreign keys back NOT VALID,
 *   validated after it; the trigger now keeps the old column in step (for a rollback);
 * - contract, in a later run: the old columns and the trigger dropped.
 * A conversion a value can fail (text to integer) is checked: PostgreSQL's cast in a function that gives NULL
 * for a value it rejects, so that an old version's write never fails; the switch's gate refuses while any
 * value did not convert, and proves NOT NULL only then.
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
    // Beyond these, Prisma's diff may only drop and re-add those keys, and the changed columns' own indexes.
    const replaced = new Set(changes.flatMap((c) => c.replaces));
    for (const operation of context.operations) {
      if (replaced.has(operation) || ownIndexOperation(operation, changes)) continue;
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
        ...own.map(conversionFunctionsSql),
        syncTriggerSql(table, trigger, forwardBody(own), `Keeps ${own.map((c) => `${newColumnName(c.column)} equal to ${c.column}`).join(", ")} while the application writes ${own.length > 1 ? "them" : "it"}, until the switch.`),
        backfillSql(
          objectName("fill", table.table, "new", "types").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, ""),
          `rows written before the trigger existed: ${own.map((c) => `${newColumnName(c.column)} takes ${c.column}'s value as ${c.toType}`).join("; ")}; from now on the trigger keeps them equal`,
          table,
          own.map((c) => `${quoteIdent(newColumnName(c.column))} = ${toNew(c, quoteIdent(c.column))}`).join(", "),
          own.map((c) => `${quoteIdent(newColumnName(c.column))} IS DISTINCT FROM ${toNew(c, quoteIdent(c.column))}`).join(" OR "),
        ),
        // NOT NULL proven now where every value converts; where one may not, in the switch, after its gate (an old
        // version's write that does not convert must not fail meanwhile).
        renderPlanned(own.filter((c) => c.notNull && c.conversion === "widen").map((c) => `ALTER TABLE ${quoteTable(table)} ALTER COLUMN ${quoteIdent(newColumnName(c.column))} SET NOT NULL;`).join("\n"), live, added, v),
        renderPlanned(own.flatMap((c) => newIndexes(c)).join("\n"), live, added, v),
      );
    });

    const gate = gateSql(
      tables.flatMap(({ table, changes: own }) => [
        { failsWhen: triggerMissingSql(table, syncTriggerName(table, "type")), message: `the trigger ${syncTriggerName(table, "type")} that keeps the new columns of ${quoteTable(table)} equal is missing or disabled`, hint: `Re-create it from ${expandFolder}/migration.sql (or ENABLE it) and fill the rows again with the expand's UPDATE, then run again` },
        {
          countSql: `SELECT count(*) FROM ${quoteTable(table)} WHERE ${own.map((c) => `${quoteIdent(newColumnName(c.column))} IS DISTINCT FROM ${toNew(c, quoteIdent(c.column))}`).join(" OR ")}`,
          message: `% row(s) of ${quoteTable(table)} are not yet in their new column${own.length > 1 ? "s" : ""}: switching now would lose them`,
          hint: `Fill them with the expand's backfill (UPDATE ${quoteTable(table)} SET ${own.map((c) => `${quoteIdent(newColumnName(c.column))} = ${toNew(c, quoteIdent(c.column))}`).join(", ")} WHERE …), and check that the trigger is enabled, then run again`,
        },
        ...own.filter((c) => c.conversion === "checked").flatMap((c) => unconvertedChecks(c, table)),
      ]),
    );
    // Where a value may not convert, NOT NULL is proven here, after the gate has counted none missing.
    const provenInSwitch = changes.filter((c) => c.notNull && c.conversion === "checked");

    const switchUp = joinSql(
      gate,
      renderPlanned(provenInSwitch.map((c) => `ALTER TABLE ${quoteTable(c.table)} ALTER COLUMN ${quoteIdent(newColumnName(c.column))} SET NOT NULL;`).join("\n"), live, added, v),
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
          // In step: the old column holds the value back (a widening), or a value that converts to the one in place.
          countSql: `SELECT count(*) FROM ${quoteTable(c.table)} WHERE ${c.conversion === "widen" ? `${quoteIdent(oldColumnName(c.column))} IS DISTINCT FROM ${toOld(c, quoteIdent(c.column))}` : `${quoteIdent(c.column)} IS DISTINCT FROM ${toNew(c, quoteIdent(oldColumnName(c.column)))}`}`,
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
        ...own.map(dropConversionFunctionsSql),
        `-- migrator:allow-hazard DELETES_DATA: the contract of ${expandFolder}: ${own.map((c) => oldColumnName(c.column)).join(", ")} only kept the values before the switch, for a rollback; every value is in ${own.map((c) => c.column).join(", ")}\n${own.map((c) => `ALTER TABLE ${quoteTable(table)} DROP COLUMN ${quoteIdent(oldColumnName(c.column))};`).join("\n")}`,
      ),
    );
    const contractDown = tables.map(({ table, changes: own }) =>
      joinSql(
        own.map((c) => `ALTER TABLE ${quoteTable(table)} ADD COLUMN ${quoteIdent(oldColumnName(c.column))} ${c.live.type};`).join("\n"),
        ...own.map(conversionFunctionsSql),
        syncTriggerSql(table, syncTriggerName(table, "type"), reverseBody(own), `Keeps the old columns in step again, for a rollback of the switch.`),
        backfillSql(
          objectName("refill", table.table, "old", "types").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, ""),
          `the contract is undone: ${own.map((c) => `${oldColumnName(c.column)} takes ${c.column}'s value where ${c.live.type} can hold it`).join("; ")}`,
          table,
          own.map((c) => `${quoteIdent(oldColumnName(c.column))} = ${toOld(c, quoteIdent(c.column))}`).join(", "),
          own.map((c) => `${quoteIdent(oldColumnName(c.column))} IS DISTINCT FROM ${toOld(c, quoteIdent(c.column))}`).join(" OR "),
        ),
        renderPlanned(own.flatMap((c) => c.indexes.map((index) => renamedIndexDefinition(index, objectName("_sf_old", index.name), oldColumnName(c.column)))).join("\n"), live, changes.map((c) => addedColumn(c.table, oldColumnName(c.column), c.live.type)), v),
      ),
    );

    const title = changes.map((c) => `${quoteTable(c.table)}.${c.column} ${c.live.type} → ${c.toType}`).join(", ");
    const checked = changes.filter((c) => c.conversion === "checked");
    return {
      kind: "change-column-type",
      title,
      phases: [
        {
          name: "expand",
          summary: `adds ${changes.map((c) => newColumnName(c.column)).join(", ")} (${[...new Set(changes.map((c) => c.toType))].join(", ")}) beside ${changes.map((c) => c.column).join(", ")}, kept equal by a trigger, filled by a batched backfill${changes.some((c) => c.primaryKey) ? ", with the key's unique index" : ""}${changes.some((c) => c.notNull && c.conversion === "widen") ? " and NOT NULL proven online" : ""}${checked.length > 0 ? `; a value of ${checked.map((c) => c.column).join(", ")} that does not convert is NULL in the new column, and the switch's gate refuses while any is` : ""}`,
          up: joinSql(...expand),
          down: joinSql(
            ...tables.map(({ table, changes: own }) =>
              joinSql(
                dropSyncTriggerSql(table, syncTriggerName(table, "type")),
                ...own.map(dropConversionFunctionsSql),
                `-- migrator:allow-hazard DELETES_DATA: rolling back the expand loses nothing: ${own.map((c) => c.column).join(", ")} still hold${own.length > 1 ? "" : "s"} every value\n${own.map((c) => `ALTER TABLE ${quoteTable(table)} DROP COLUMN ${quoteIdent(newColumnName(c.column))};`).join("\n")}`,
              ),
            ),
          ),
        },
        {
          name: "switch",
          summary: `puts the new columns in the old ones' place in one short transaction, behind a gate that every row is equal${checked.length > 0 ? " and every value converted" : ""}${foreignKeys.length > 0 ? `; the foreign keys come back NOT VALID and are validated after it` : ""}; the old columns stay, kept in step, for a rollback`,
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
    // The default goes with the column in place: the new one's forward (Prisma's, or the old one's for an ALTER), the old one's back.
    const [parkedDefault, currentDefault] = direction === "forward" ? [c.live.default, c.default] : [c.default, c.live.default];
    if (parkedDefault) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(parked)} DROP DEFAULT;`);
    if (currentDefault) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(current)} SET DEFAULT ${currentDefault};`);
    if (direction === "forward" && c.live.notNull) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(parked)} DROP NOT NULL;`);
    if (direction === "back" && c.live.notNull) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(current)} SET NOT NULL;`);
    // Back, the old version writes again: a value of its that does not convert must not fail on the parked column.
    if (direction === "back" && c.notNull && c.conversion === "checked") statements.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(parked)} DROP NOT NULL;`);
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
  return changes.map((c) => `NEW.${quoteIdent(newColumnName(c.column))} := ${toNew(c, `NEW.${quoteIdent(c.column)}`)};`).join("\n");
}

/** A value of the old type in the new one: a cast where every value survives it, else the checked conversion (NULL where it fails). */
function toNew(c: Change, value: string): string {
  return c.conversion === "widen" ? `CAST(${value} AS ${c.toType})` : `${quoteFunction(c.table, conversionName(c, "to"))}(${value})`;
}

/** A value of the new type in the old one (NULL where the old type cannot hold it). */
function toOld(c: Change, value: string): string {
  return c.conversion === "widen" ? narrowingCast(value, c.toType, c.live.type) : `${quoteFunction(c.table, conversionName(c, "from"))}(${value})`;
}

const conversionName = (c: Change, direction: "to" | "from") => objectName(direction === "to" ? "_sf_cast" : "_sf_uncast", c.table.table, c.column);

/**
 * A checked conversion's two functions: PostgreSQL's own cast, one way and back, returning NULL for a value it
 * rejects (a data exception: not a number, out of range, a bad date) instead of failing the write or the batch.
 */
function conversionFunctionsSql(c: Change): string | undefined {
  if (c.conversion === "widen") return undefined;
  const define = (name: string, from: string, to: string) =>
    [`CREATE OR REPLACE FUNCTION ${quoteFunction(c.table, name)}(v ${from}) RETURNS ${to} LANGUAGE plpgsql AS $sf$`, "BEGIN", `  RETURN CAST(v AS ${to});`, "EXCEPTION WHEN data_exception THEN", "  RETURN NULL;", "END", "$sf$;"].join("\n");
  return [`-- ${c.column} as ${c.toType} and back, NULL where PostgreSQL's cast rejects a value (the switch's gate counts those).`, define(conversionName(c, "to"), c.live.type, c.toType), define(conversionName(c, "from"), c.toType, c.live.type)].join("\n");
}

function dropConversionFunctionsSql(c: Change): string | undefined {
  if (c.conversion === "widen") return undefined;
  return [`DROP FUNCTION IF EXISTS ${quoteFunction(c.table, conversionName(c, "to"))}(${c.live.type});`, `DROP FUNCTION IF EXISTS ${quoteFunction(c.table, conversionName(c, "from"))}(${c.toType});`].join("\n");
}

/** The switch's gate for a checked conversion: no value left that did not convert, none missing the new column requires. */
function unconvertedChecks(c: Change, table: TableRef): Array<{ countSql: string; message: string; hint: string }> {
  const t = quoteTable(table);
  const [column, incoming] = [quoteIdent(c.column), quoteIdent(newColumnName(c.column))];
  const checks = [
    {
      countSql: `SELECT count(*) FROM ${t} WHERE ${column} IS NOT NULL AND ${incoming} IS NULL`,
      message: `% value(s) of ${t}.${c.column} do not convert to ${c.toType}: switching now would lose them`,
      hint: `List them with SELECT ${column} FROM ${t} WHERE ${column} IS NOT NULL AND ${incoming} IS NULL; correct them (the trigger converts what is written), then run again`,
    },
  ];
  if (c.notNull && !c.live.notNull) {
    checks.push({
      countSql: `SELECT count(*) FROM ${t} WHERE ${column} IS NULL`,
      message: `% row(s) of ${t} have no ${c.column}, which the new column requires`,
      hint: `Give them a value (UPDATE ${t} SET ${column} = … WHERE ${column} IS NULL), then run again`,
    });
  }
  return checks;
}

const keyConstraints = (c: Change): LiveConstraint[] => [...(c.primaryKey ? [c.primaryKey] : []), ...c.uniques];

/** After the switch: the old column takes the value back where its type can hold it (NULL where it cannot: a rollback refuses those rows). */
function reverseBody(changes: readonly Change[]): string {
  return changes.map((c) => `NEW.${quoteIdent(oldColumnName(c.column))} := ${toOld(c, `NEW.${quoteIdent(c.column)}`)};`).join("\n");
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
 * precision. The trigger casts every write the old version makes, so these never fail.
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

const NUMBERS = new Set(["smallint", "integer", "bigint", "real", "double precision", "numeric"]);
const isNumber = (type: string) => NUMBERS.has(type) || type.startsWith("numeric(");
const isString = (type: string) => type === "text" || type === "character varying";
/** A length limit PostgreSQL's explicit cast truncates to without an error (varchar(n), char(n), bit(n)): not checked. */
const truncates = (type: string) => /^(character varying|character|bit varying|bit)\(/.test(type);

/**
 * Conversions whose values may not all convert, done with PostgreSQL's own cast, checked: from or to text
 * (every type reads and prints text), and between number types (a narrower integer, numeric to integer).
 * A bounded string type on either side is left to Prisma's form: an explicit cast would cut values short.
 */
export function checkedConversion(from: string, to: string): boolean {
  if (from === to || truncates(from) || truncates(to)) return false;
  return isString(from) || isString(to) || (isNumber(from) && isNumber(to));
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
 * The columns whose type Prisma's diff changes, each with what depends on it: an ALTER … TYPE that rewrites
 * the table, or a DROP COLUMN and ADD COLUMN of the same name (Prisma's "no cast exists", which loses every
 * value). Undefined when one of them has a dependent the online form does not move (a CHECK, a multi-column or
 * expression index, a partitioned table, no single-column primary key to batch the backfill by), or, for a
 * checked conversion, a key, a foreign key or a sequence (a value that fails to convert must only stop the switch).
 */
function findChanges(context: OnlineContext): Change[] | undefined {
  const { live } = context;
  type Candidate = Omit<Change, "primaryKey" | "uniques" | "indexes">;
  const candidates: Candidate[] = [];
  for (const alter of context.operations) {
    if (alter.kind !== "alter-column-type") continue;
    for (const change of alter.changes) {
      const column = columnOf(live, alter.table, change.column);
      const toType = change.sequenceType ?? change.formattedType;
      if (!column || !toType || change.usingSql || !typeChangeRewrites(column.type, toType, false)) return undefined;
      const conversion = losslessWidening(column.type, toType) ? "widen" : checkedConversion(column.type, toType) ? "checked" : undefined;
      if (!conversion) return undefined;
      candidates.push({ table: alter.table, column: change.column, live: column, toType, conversion, notNull: column.notNull, default: column.default, replaces: [alter] });
    }
  }
  const drops = context.operations.flatMap((operation) => droppedColumns(operation).map((drop) => ({ ...drop, operation })));
  for (const add of context.operations) {
    if (add.kind !== "add-column") continue;
    const drop = drops.find((d) => d.table.schema === add.table.schema && d.table.table === add.table.table && d.column === add.column);
    if (!drop) continue;
    const column = columnOf(live, add.table, add.column);
    const toType = add.formattedType ?? add.typeSql;
    if (!column || add.rewritesTable || add.hasGeneratedValue || !checkedConversion(column.type, toType)) return undefined;
    candidates.push({ table: add.table, column: add.column, live: column, toType, conversion: "checked", notNull: add.notNull, default: add.defaultSql, replaces: [drop.operation, add] });
  }
  if (candidates.length === 0) return undefined;
  const changes: Change[] = [];
  for (const candidate of candidates) {
    const onTable = (entry: { schema: string; table: string }) => entry.schema === candidate.table.schema && entry.table === candidate.table.table;
    const tableInfo = live.tables.find(onTable);
    if (!tableInfo || tableInfo.partitioned) return undefined;
    const constraints = live.constraints.filter((c) => onTable(c) && c.columns.includes(candidate.column));
    if (constraints.some((c) => c.kind !== "p" && c.kind !== "u") || constraints.some((c) => c.columns.length !== 1)) return undefined;
    const tableKey = live.constraints.find((c) => onTable(c) && c.kind === "p");
    if (!tableKey || tableKey.columns.length !== 1) return undefined;
    const indexes = live.indexes.filter((index) => onTable(index) && index.columns.some((key) => indexKeyIs(key, candidate.column)) && !index.backsConstraint);
    if (indexes.some((index) => index.columns.length !== 1 || index.predicate !== null || index.parentIndex !== null)) return undefined;
    if (candidate.conversion === "checked") {
      const referenced = live.foreignKeys.some((fk) => (onTable(fk) && fk.columns.includes(candidate.column)) || (fk.refSchema === candidate.table.schema && fk.refTable === candidate.table.table && fk.refColumns.includes(candidate.column)));
      // An index keeps its method and nothing else (no operator class): only btree carries over to another type.
      if (constraints.length > 0 || referenced || candidate.live.sequence || indexes.some((index) => indexMethod(index) !== "btree")) return undefined;
    }
    changes.push({ ...candidate, primaryKey: constraints.find((c) => c.kind === "p"), uniques: constraints.filter((c) => c.kind === "u"), indexes });
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

/**
 * Prisma's drop and re-creation of a changed column's own index (a dropped column takes its indexes with it):
 * the online form builds the index on the new column itself and renames it in the switch.
 */
function ownIndexOperation(operation: Operation, changes: readonly Change[]): boolean {
  const own = (schema: string, name: string) => changes.some((c) => c.indexes.some((index) => index.schema === schema && index.name === name));
  if (operation.kind === "drop-index") return own(operation.schema, operation.name);
  if (operation.kind === "ensure-index") return changes.some((c) => c.table.schema === operation.table.schema && c.table.table === operation.table.table && operation.columns.length === 1 && operation.columns[0] === c.column && c.indexes.some((index) => index.name === operation.name));
  return false;
}

/** An index's access method, read by the parser from its definition. */
function indexMethod(index: LiveIndex): string | undefined {
  const [statement] = parseStatementsSync(index.definition);
  return statement && "IndexStmt" in statement.node ? (statement.node.IndexStmt.accessMethod ?? "btree") : undefined;
}
