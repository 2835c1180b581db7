import type { LiveSchema } from "@soleflip/catalog";
import type { HistoryRow, LocalMigration } from "@soleflip/migrator";
import type pg from "pg";
import type { ExpectedState } from "../expected/build-expected.ts";

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckFinding {
  subject: string;
  expected?: string | undefined;
  actual?: string | undefined;
  message: string;
}

export interface CheckResult {
  /** Stable id: also the file name under src/checks/. */
  id: string;
  title: string;
  status: CheckStatus;
  /** One sentence, true for the database it ran on. */
  summary: string;
  findings: CheckFinding[];
  /** The verification SQL that ran (named catalog queries or the statement itself). */
  sql: string[];
  /** How many objects were compared. */
  compared: number;
  durationMs: number;
}

export interface CheckContext {
  /** A connection inside a READ ONLY transaction on the verified database. */
  client: pg.ClientBase;
  databaseUrl: string;
  /** A server where scratch and shadow databases may be created (drift check). */
  serverUrl: string;
  schemaPath: string;
  migrationsDir: string;
  expected: ExpectedState;
  live: LiveSchema;
  migrations: readonly LocalMigration[];
  history: readonly HistoryRow[] | undefined;
}

export interface Check {
  id: string;
  title: string;
  run(context: CheckContext): Promise<Omit<CheckResult, "id" | "title" | "durationMs">>;
}

export const LIVE_SCHEMA_SQL = ["catalog/schemas.sql", "catalog/tables.sql", "catalog/columns.sql", "catalog/foreign-keys.sql", "catalog/constraints.sql", "catalog/indexes.sql", "catalog/enums.sql"];

export function outcome(findings: CheckFinding[], compared: number, noun: string, sql: string[] = LIVE_SCHEMA_SQL): Omit<CheckResult, "id" | "title" | "durationMs"> {
  return {
    status: findings.length === 0 ? "pass" : "fail",
    summary: findings.length === 0 ? `All ${compared} ${noun} match the model.` : `${findings.length} of ${compared} ${noun} differ from the model.`,
    findings,
    sql,
    compared,
  };
}

export const tableKey = (object: { schema: string; table: string }) => `${object.schema}.${object.table}`;
