import { quoteTable, type AddColumn } from "@soleflip/planner";
import { quoteIdent, quoteLiteral, quoteQualified } from "@soleflip/sql";
import { addedColumn, joinSql, renderPlanned, type OnlineKind } from "./kind.ts";
import { backfillSql, objectName } from "./sql.ts";

/** Serial pseudo-types and the integer type each stands for. */
const SERIAL: Record<string, string> = { serial: "integer", serial4: "integer", bigserial: "bigint", serial8: "bigint", smallserial: "smallint", serial2: "smallint" };

/**
 * A new column every existing row needs its own value of: a volatile default (gen_random_uuid(), a
 * dbgenerated call) or an autoincrement (serial). PostgreSQL fills it by rewriting the table under ACCESS
 * EXCLUSIVE. Online, in one migration (nothing old to contract): the column added without a default (a
 * catalog change), the default set for new rows, the existing rows filled by a batched backfill with the
 * same expression (a sequence's next values, in key order), then NOT NULL proven online.
 */
export const fillNewColumn: OnlineKind = {
  id: "fill-new-column",
  plan(context) {
    const [add, ...rest] = context.operations;
    if (!add || rest.length > 0 || add.kind !== "add-column" || !add.rewritesTable) return undefined;
    const serialType = SERIAL[add.typeSql.toLowerCase()];
    // An identity or a stored generated column is another kind of value: left as Prisma writes it.
    if (!serialType && (add.hasGeneratedValue || !add.defaultSql)) return undefined;
    const table = quoteTable(add.table);
    const column = quoteIdent(add.column);
    const type = serialType ?? add.typeSql;
    const sequence = serialType ? (add.table.implicit ? quoteIdent(objectName(add.table.table, add.column, "seq")) : quoteQualified(add.table.schema, objectName(add.table.table, add.column, "seq"))) : undefined;
    const valueSql = sequence ? `nextval(${quoteLiteral(sequence)}::regclass)` : (add.defaultSql ?? "NULL");
    const added = [addedColumn(add.table, add.column, formatted(add, serialType))];
    return {
      kind: "fill-new-column",
      title: `${table}.${add.column} added and filled row by row`,
      phases: [
        {
          name: "expand",
          summary: `adds ${add.column} without a default (no rewrite), sets the default for new rows, fills the existing rows in batches with ${sequence ? "the sequence's next values" : `${add.defaultSql ?? "its default"}`}${add.notNull ? ", then proves NOT NULL online" : ""}`,
          up: joinSql(
            sequence ? `CREATE SEQUENCE IF NOT EXISTS ${sequence} AS ${serialType};` : undefined,
            `ALTER TABLE ${table} ADD COLUMN ${column} ${type};\nALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT ${valueSql};`,
            sequence ? `ALTER SEQUENCE ${sequence} OWNED BY ${table}.${column};` : undefined,
            backfillSql(
              objectName("fill", add.table.table, add.column).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, ""),
              `rows that existed before the column get a value of their own, as PostgreSQL's rewrite would have given them (${sequence ? "the sequence's next values, in key order" : add.defaultSql ?? "the default"}); new rows get it from the default`,
              add.table,
              `${column} = ${valueSql}`,
              `${column} IS NULL`,
            ),
            add.notNull ? renderPlanned(`ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL;`, context.live, added, context.serverVersionNum) : undefined,
          ),
          down: `-- migrator:allow-hazard DELETES_DATA: undoing the migration that added ${add.column}${sequence ? " (its sequence goes with it)" : ""}\nALTER TABLE ${table} DROP COLUMN ${column};`,
        },
      ],
    };
  },
};

/** The column's type as format_type prints it, for the pre-flight's view of the added column. */
function formatted(add: AddColumn, serialType: string | undefined): string {
  return serialType ?? add.formattedType ?? add.typeSql;
}
