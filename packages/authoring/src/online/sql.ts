import { createHash } from "node:crypto";
import { quoteTable, type TableRef } from "@soleflip/planner";
import { quoteIdent, quoteLiteral, quoteQualified } from "@soleflip/sql";

/**
 * The SQL pieces every online form is made of: names of the objects it adds, the trigger that keeps two
 * columns in step, the declared backfill (one batched mechanism: the runner's keyset repair), and the gate a
 * later phase checks before it runs. Everything is plain SQL that `prisma migrate deploy` runs as well.
 */

const MAX_NAME_BYTES = 63;

/** A name PostgreSQL keeps whole: shortened with a hash of the full name when it would pass 63 bytes. */
export function objectName(...parts: string[]): string {
  const full = parts.join("_");
  if (Buffer.byteLength(full) <= MAX_NAME_BYTES) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  let head = full;
  while (Buffer.byteLength(`${head}_${hash}`) > MAX_NAME_BYTES) head = head.slice(0, -1);
  return `${head}_${hash}`;
}

/** The column that takes a column's new form (a new type), beside it until the switch. */
export const newColumnName = (column: string) => objectName("_sf_new", column);
/** The column that keeps a column's old form after the switch, until the contract (a rollback needs it). */
export const oldColumnName = (column: string) => objectName("_sf_old", column);
/** The trigger (and its function) that keeps a table's pairs of columns in step. */
export const syncTriggerName = (table: TableRef, purpose: string) => objectName("_sf_sync", table.table, purpose);

/** A function in the table's schema, qualified as the table is. */
export function quoteFunction(table: TableRef, name: string): string {
  return table.implicit ? quoteIdent(name) : quoteQualified(table.schema, name);
}

/**
 * A BEFORE INSERT OR UPDATE trigger running `body` (PL/pgSQL statements on NEW and OLD) for every row;
 * CREATE OR REPLACE both ways, so the statement applies again after an interruption.
 */
export function syncTriggerSql(table: TableRef, name: string, body: string, why: string): string {
  return [`-- ${why}`, syncFunctionSql(table, name, body), `CREATE OR REPLACE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${quoteTable(table)} FOR EACH ROW EXECUTE FUNCTION ${quoteFunction(table, name)}();`].join("\n");
}

/** The trigger's function alone (a switch replaces its body in the same transaction as the renames). */
export function syncFunctionSql(table: TableRef, name: string, body: string): string {
  return [`CREATE OR REPLACE FUNCTION ${quoteFunction(table, name)}() RETURNS trigger LANGUAGE plpgsql AS $sf$`, "BEGIN", body.replace(/^/gm, "  "), "  RETURN NEW;", "END", "$sf$;"].join("\n");
}

export function dropSyncTriggerSql(table: TableRef, name: string): string {
  return [`DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${quoteTable(table)};`, `DROP FUNCTION IF EXISTS ${quoteFunction(table, name)}();`].join("\n");
}

/**
 * A declared repair the runner runs in keyset batches by primary key (each batch its own short
 * transaction, journaled, resumable, throttled); as plain SQL it is one UPDATE.
 */
export function backfillSql(id: string, why: string, table: TableRef, assignments: string, where: string): string {
  return [`-- migrator:repair ${id}`, `-- migrator:why ${why}`, `UPDATE ${quoteTable(table)} SET ${assignments} WHERE ${where};`].join("\n");
}

export interface GateCheck {
  /** SQL that counts what would be lost or wrong (0: fine), e.g. rows whose two columns differ. */
  countSql?: string;
  /** Or a condition that is true when the check fails (e.g. a trigger is missing). */
  failsWhen?: string;
  /** The message when it fails; `%` is the count. */
  message: string;
  hint: string;
}

/**
 * The gate: a DO block the runner runs read-only before the migration changes anything (and `prisma
 * migrate deploy` runs first too): it raises, with the message and the way forward, when a check fails.
 */
export function gateSql(checks: readonly GateCheck[]): string {
  const body = checks.map((check) => {
    if (check.countSql) {
      return [
        `  SELECT (${check.countSql}) INTO behind;`,
        `  IF behind > 0 THEN`,
        `    RAISE EXCEPTION ${quoteLiteral(check.message)}, behind USING HINT = ${quoteLiteral(check.hint)};`,
        "  END IF;",
      ].join("\n");
    }
    return [`  IF ${check.failsWhen ?? "false"} THEN`, `    RAISE EXCEPTION ${quoteLiteral(check.message.replaceAll("%", "%%"))} USING HINT = ${quoteLiteral(check.hint)};`, "  END IF;"].join("\n");
  });
  return ["-- migrator:gate", "DO $gate$", "DECLARE behind bigint;", "BEGIN", ...body, "END", "$gate$;"].join("\n");
}

/** True when the trigger is missing from the table or disabled. */
export function triggerMissingSql(table: TableRef, name: string): string {
  return `NOT EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgname = ${quoteLiteral(name)} AND tgrelid = to_regclass(${quoteLiteral(quoteTable(table))}) AND tgenabled <> 'D')`;
}
