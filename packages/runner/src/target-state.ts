import type { LocalMigration } from "@soleflip/history";
import { quoteTable, tableName, UNQUALIFIED_SCHEMA } from "@soleflip/planner";
import type pg from "pg";

/** The tables a migration creates (CREATE TABLE), qualified. */
export function tablesCreatedBy(migration: Pick<LocalMigration, "statements">): string[] {
  return migration.statements.flatMap((statement) => {
    const node = statement.node;
    if (!("CreateStmt" in node)) return [];
    const relation = node.CreateStmt.relation;
    return [tableName({ schema: relation?.schemaname ?? UNQUALIFIED_SCHEMA, table: relation?.relname ?? "?" })];
  });
}

export type TargetState =
  | { kind: "has-history" }
  | { kind: "empty" }
  /** No history, but some of the baseline's tables exist: a database made outside Prisma. */
  | { kind: "adoptable"; found: string[] }
  /** No history, none of the baseline's tables, but other tables: someone else's database. */
  | { kind: "foreign"; tables: string[] };

/** What kind of database this is, before anything is changed in it. */
export async function classifyTarget(client: pg.ClientBase, hasHistory: boolean, baseline: Pick<LocalMigration, "statements"> | undefined): Promise<TargetState> {
  if (hasHistory) return { kind: "has-history" };
  const rows = await client.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
       AND NOT (n.nspname = 'public' AND c.relname IN ('_prisma_migrations', '_soleflip_migrator_journal'))
     ORDER BY 1`,
  );
  const tables = rows.rows.map((row) => row.name);
  if (tables.length === 0) return { kind: "empty" };
  const baselineTables = new Set(baseline ? tablesCreatedBy(baseline) : []);
  const found = tables.filter((table) => baselineTables.has(table));
  return found.length > 0 ? { kind: "adoptable", found } : { kind: "foreign", tables };
}

export { quoteTable };
