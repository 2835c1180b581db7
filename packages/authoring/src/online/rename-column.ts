import type { LiveSchema } from "@soleflip/catalog";
import { quoteTable, type AddColumn, type Operation, type TableRef } from "@soleflip/planner";
import { quoteIdent } from "@soleflip/sql";
import { addedColumn, columnOf, droppedColumns, indexKeyIs, joinSql, renderPlanned, type OnlineKind, type OnlinePlan } from "./kind.ts";
import { backfillSql, dropSyncTriggerSql, gateSql, syncTriggerName, syncTriggerSql, triggerMissingSql } from "./sql.ts";

interface Rename {
  table: TableRef;
  from: string;
  to: AddColumn;
}

/**
 * A column renamed (a field's @map, or the field itself): Prisma writes DROP COLUMN + ADD COLUMN, losing
 * the data. Online: the new column is added beside the old one, a trigger keeps the two in step in both
 * directions (the old application version writes the old name, the new one the new name), a batched
 * backfill copies the rows written before; the contract, in a later run, drops the trigger and the old
 * column once a gate has proven that no row differs.
 *
 * Read as a rename when, on one table, Prisma drops one column and adds one of the same type, and the
 * schema says so (the field keeps its name and maps to the new column) or the pair is the table's only
 * drop and add.
 */
export const renameColumn: OnlineKind = {
  id: "rename-column",
  plan(context) {
    const renames = findRenames(context.operations, context.live, context.models);
    if (!renames) return undefined;
    const claimed = new Set<Operation>(renames.flatMap((r) => [r.to, ...dropsOf(context.operations, r)]));
    // What else Prisma writes must be about the renamed columns: indexes and keys of the new one (made after
    // the backfill), drops of the old one's (they go with it in the contract).
    const followUps: Operation[] = [];
    for (const operation of context.operations) {
      if (claimed.has(operation)) continue;
      const about = aboutColumns(operation, context.live);
      if (!about || about.columns.length === 0) return undefined;
      const rename = renames.find((r) => r.table.schema === about.table.schema && r.table.table === about.table.table);
      if (!rename) return undefined;
      if (about.columns.every((column) => column === rename.to.column)) followUps.push(operation);
      else if (!(about.drops && about.columns.every((column) => column === rename.from))) return undefined;
    }
    const added = renames.map((r) => addedColumn(r.table, r.to.column, r.to.formattedType ?? r.to.typeSql));
    const expand = renames.map((r) => {
      const trigger = syncTriggerName(r.table, `${r.from}_${r.to.column}`);
      const oldColumn = columnOf(context.live, r.table, r.from);
      return joinSql(
        `ALTER TABLE ${quoteTable(r.table)} ADD COLUMN ${quoteIdent(r.to.column)} ${r.to.typeSql};`,
        syncTriggerSql(r.table, trigger, twoWayBody(r.from, r.to.column, oldColumn?.default ?? null, r.to.defaultSql), `Keeps ${r.from} and ${r.to.column} in step while both application versions run: the old one writes ${r.from}, the new one ${r.to.column}.`),
        backfillSql(`copy-${r.from}-to-${r.to.column}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-").slice(0, 60), `rows written before the trigger existed: ${r.to.column} takes ${r.from}'s value; from now on the trigger keeps the two in step`, r.table, `${quoteIdent(r.to.column)} = ${quoteIdent(r.from)}`, `${quoteIdent(r.to.column)} IS DISTINCT FROM ${quoteIdent(r.from)}`),
        r.to.defaultSql ? `ALTER TABLE ${quoteTable(r.table)} ALTER COLUMN ${quoteIdent(r.to.column)} SET DEFAULT ${r.to.defaultSql};` : undefined,
        r.to.notNull ? renderPlanned(`ALTER TABLE ${quoteTable(r.table)} ALTER COLUMN ${quoteIdent(r.to.column)} SET NOT NULL;`, context.live, added, context.serverVersionNum) : undefined,
      );
    });
    const followUpSql = renderPlanned(followUps.flatMap((op) => op.statements.map((s) => `${s.text};`)).join("\n"), context.live, added, context.serverVersionNum);
    const expandFolder = context.folder("expand");
    const contract = renames.map((r) => {
      const trigger = syncTriggerName(r.table, `${r.from}_${r.to.column}`);
      return joinSql(
        dropSyncTriggerSql(r.table, trigger),
        `-- migrator:allow-hazard DELETES_DATA: the contract of ${expandFolder}: every value of ${r.from} is in ${r.to.column} (the gate above checks every row)\nALTER TABLE ${quoteTable(r.table)} DROP COLUMN ${quoteIdent(r.from)};`,
      );
    });
    const gate = gateSql(
      renames.flatMap((r) => {
        const trigger = syncTriggerName(r.table, `${r.from}_${r.to.column}`);
        return [
          { failsWhen: triggerMissingSql(r.table, trigger), message: `the trigger ${trigger} that keeps ${r.from} and ${r.to.column} of ${quoteTable(r.table)} in step is missing or disabled: rows written since may differ`, hint: `Re-create it from ${expandFolder}/migration.sql (or ENABLE it), fill the rows again with the expand's UPDATE, then run again` },
          { countSql: `SELECT count(*) FROM ${quoteTable(r.table)} WHERE ${quoteIdent(r.to.column)} IS DISTINCT FROM ${quoteIdent(r.from)}`, message: `% row(s) of ${quoteTable(r.table)} have ${r.to.column} different from ${r.from}: dropping ${r.from} would lose them`, hint: `Fill them with the expand's backfill (UPDATE ${quoteTable(r.table)} SET ${quoteIdent(r.to.column)} = ${quoteIdent(r.from)} WHERE ${quoteIdent(r.to.column)} IS DISTINCT FROM ${quoteIdent(r.from)}), and check that the trigger is enabled, then run again` },
        ];
      }),
    );
    const plan: OnlinePlan = {
      kind: "rename-column",
      title: renames.map((r) => `${quoteTable(r.table)}.${r.from} renamed to ${r.to.column}`).join("; "),
      phases: [
        {
          name: "expand",
          summary: `adds ${renames.map((r) => r.to.column).join(", ")} beside ${renames.map((r) => r.from).join(", ")}, kept in step by a trigger in both directions and filled by a batched backfill; both application versions run against it`,
          up: joinSql(...expand, followUpSql),
          down: joinSql(
            ...renames.map((r) => joinSql(dropSyncTriggerSql(r.table, syncTriggerName(r.table, `${r.from}_${r.to.column}`)), `-- migrator:allow-hazard DELETES_DATA: rolling back the expand loses nothing: ${r.from} holds every value (the trigger kept it in step)\nALTER TABLE ${quoteTable(r.table)} DROP COLUMN ${quoteIdent(r.to.column)};`)),
          ),
        },
        {
          name: "contract",
          summary: `drops ${renames.map((r) => r.from).join(", ")} and the trigger, once no running version of the application uses the old name${renames.length > 1 ? "s" : ""}; a run after the expand's, behind a gate that proves no row differs`,
          up: joinSql(`-- migrator:contract-of ${expandFolder}\n${gate}`, ...contract),
          down: joinSql(...renames.map((r) => restoreOldColumn(r, context.live, context.serverVersionNum))),
        },
      ],
    };
    return plan;
  },
};

/** The trigger's body: an insert fills whichever of the two was not written; an update copies whichever changed. */
function twoWayBody(from: string, to: string, fromDefault: string | null, toDefault: string | null): string {
  const f = `NEW.${quoteIdent(from)}`;
  const t = `NEW.${quoteIdent(to)}`;
  // Both written on insert: the one that is only its column's default is not what the application wrote.
  const bothWritten = fromDefault ? `IF ${f} IS NOT DISTINCT FROM (${fromDefault}) THEN ${f} := ${t}; ELSE ${t} := ${f}; END IF;` : toDefault ? `IF ${t} IS NOT DISTINCT FROM (${toDefault}) THEN ${t} := ${f}; ELSE ${f} := ${t}; END IF;` : `${f} := ${t};`;
  return [
    "IF TG_OP = 'INSERT' THEN",
    `  IF ${t} IS NULL THEN ${t} := ${f};`,
    `  ELSIF ${f} IS NULL THEN ${f} := ${t};`,
    `  ELSIF ${t} IS DISTINCT FROM ${f} THEN ${bothWritten}`,
    "  END IF;",
    `ELSIF ${t} IS DISTINCT FROM OLD.${quoteIdent(to)} THEN ${f} := ${t};`,
    `ELSIF ${f} IS DISTINCT FROM OLD.${quoteIdent(from)} THEN ${t} := ${f};`,
    "END IF;",
  ].join("\n");
}

/** The contract's down.sql: the old column back, in step again, with its default, NOT NULL and indexes. */
function restoreOldColumn(rename: Rename, live: LiveSchema, serverVersionNum: number): string {
  const old = columnOf(live, rename.table, rename.from);
  const table = quoteTable(rename.table);
  const trigger = syncTriggerName(rename.table, `${rename.from}_${rename.to.column}`);
  const added = [addedColumn(rename.table, rename.from, old?.type ?? rename.to.typeSql)];
  const indexes = live.indexes.filter((index) => index.schema === rename.table.schema && index.table === rename.table.table && index.columns.length === 1 && indexKeyIs(index.columns[0], rename.from) && !index.backsConstraint);
  return joinSql(
    `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(rename.from)} ${old?.type ?? rename.to.typeSql};`,
    syncTriggerSql(rename.table, trigger, twoWayBody(rename.from, rename.to.column, old?.default ?? null, rename.to.defaultSql), `Keeps ${rename.from} and ${rename.to.column} in step again.`),
    backfillSql(`copy-${rename.to.column}-to-${rename.from}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-").slice(0, 60), `the contract is undone: ${rename.from} takes ${rename.to.column}'s value again`, rename.table, `${quoteIdent(rename.from)} = ${quoteIdent(rename.to.column)}`, `${quoteIdent(rename.from)} IS DISTINCT FROM ${quoteIdent(rename.to.column)}`),
    old?.default ? `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(rename.from)} SET DEFAULT ${old.default};` : undefined,
    old?.notNull ? renderPlanned(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(rename.from)} SET NOT NULL;`, live, added, serverVersionNum) : undefined,
    renderPlanned(indexes.map((index) => `${index.definition};`).join("\n"), live, added, serverVersionNum),
  );
}

/** Prisma's drop of the old column (a raw ALTER TABLE … DROP COLUMN). */
function dropsOf(operations: readonly Operation[], rename: Rename): Operation[] {
  return operations.filter((operation) => droppedColumns(operation).some((d) => d.table.schema === rename.table.schema && d.table.table === rename.table.table && d.column === rename.from));
}


/** The renames in Prisma's diff: every dropped column paired with an added one; undefined when that does not hold. */
function findRenames(operations: readonly Operation[], live: LiveSchema, models: OnlineContextModels): Rename[] | undefined {
  const drops = operations.flatMap(droppedColumns);
  const adds = operations.filter((operation): operation is AddColumn => operation.kind === "add-column");
  if (drops.length === 0 || drops.length !== adds.length) return undefined;
  const renames: Rename[] = [];
  for (const drop of drops) {
    const candidates = adds.filter((add) => add.table.schema === drop.table.schema && add.table.table === drop.table.table && !add.rewritesTable);
    const old = columnOf(live, drop.table, drop.column);
    const sameType = candidates.filter((add) => old && (add.formattedType ?? add.typeSql) === old.type);
    const model = models.find((m) => m.table === drop.table.table && (m.schema === null || m.schema === drop.table.schema));
    // The schema says so: the field that keeps the old column's name now maps to the new column (@map).
    const mapped = sameType.find((add) => model?.fields.some((field) => field.name === drop.column && field.column === add.column));
    const only = sameType.length === 1 && candidates.length === 1 && drops.filter((d) => d.table.table === drop.table.table && d.table.schema === drop.table.schema).length === 1 ? sameType[0] : undefined;
    const to = mapped ?? only;
    if (!to || renames.some((r) => r.to === to)) return undefined;
    // The add's table keeps the way Prisma wrote it (unqualified for the default schema).
    renames.push({ table: to.table, from: drop.column, to });
  }
  return renames;
}

type OnlineContextModels = Parameters<OnlineKind["plan"]>[0]["models"];

/** The table and columns an index or key operation is about (and whether it drops); undefined for others. */
function aboutColumns(operation: Operation, live: LiveSchema): { table: TableRef; columns: string[]; drops: boolean } | undefined {
  switch (operation.kind) {
    case "drop-index": {
      const index = live.indexes.find((i) => i.schema === operation.schema && i.name === operation.name);
      return index ? { table: { schema: index.schema, table: index.table }, columns: index.columns, drops: true } : undefined;
    }
    case "ensure-index":
      return { table: operation.table, columns: operation.columns, drops: false };
    case "ensure-unique-constraint":
      return { table: operation.table, columns: operation.columns, drops: false };
    case "ensure-foreign-key":
      return { table: operation.table, columns: operation.columns, drops: false };
    default:
      return undefined;
  }
}
