import { quoteIdent } from "@soleflip/sql";
import { quoteTable } from "./sql-parts.ts";
import { tableName } from "./operations.ts";
import type { LockMode, Step, TableRef } from "./types.ts";

/** A short, transactional DDL step with the hazard its lock implies. */
export function ddlStep(description: string, sql: string[], table: TableRef, lock: LockMode, extraTables: TableRef[] = []): Step {
  return {
    description,
    sql,
    transactional: true,
    lock,
    tables: [tableName(table), ...extraTables.map(tableName)],
    hazards: lock === "ACCESS EXCLUSIVE" ? ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK"] : [],
  };
}

/** VALIDATE CONSTRAINT: a scan under SHARE UPDATE EXCLUSIVE (reads and writes continue), outside a transaction. */
export function validationStep(table: TableRef, name: string): Step {
  return {
    description: `validate ${name} (scans ${tableName(table)}; reads and writes continue)`,
    sql: [validateSql(table, name)],
    transactional: false,
    lock: "SHARE UPDATE EXCLUSIVE",
    tables: [tableName(table)],
    hazards: ["VALIDATES_CONSTRAINT"],
    progress: { kind: "validation", table: tableName(table) },
  };
}

export const validateSql = (table: TableRef, name: string) => `ALTER TABLE ${quoteTable(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}`;
export const dropConstraintSql = (table: TableRef, name: string) => `ALTER TABLE ${quoteTable(table)} DROP CONSTRAINT ${quoteIdent(name)}`;
export const renameConstraintSql = (table: TableRef, from: string, to: string) => `ALTER TABLE ${quoteTable(table)} RENAME CONSTRAINT ${quoteIdent(from)} TO ${quoteIdent(to)}`;

/** PostgreSQL truncates identifiers to 63 bytes; temporary names stay within that. */
export const MAX_IDENTIFIER_BYTES = 63;

export function withSuffix(name: string, suffix: string): string {
  let base = name;
  while (Buffer.byteLength(base + suffix) > MAX_IDENTIFIER_BYTES) base = base.slice(0, -1);
  return base + suffix;
}
