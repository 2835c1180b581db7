import { catalogSqlAsRun, type LiveSchema } from "@soleflip/catalog";
import type { HistoryRow } from "@soleflip/history";
import type { PrismaProject } from "@soleflip/project";
import type { RecognisedMigration } from "@soleflip/runner";
import type pg from "pg";
import type { ExpectedState } from "../expected.ts";
import type { ContractWindow } from "../window.ts";

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
  /** The verification SQL that ran, as it ran (ready to paste into psql). */
  sql: string[];
  /** Shell commands that make the same comparison, relative to the project's folder (e.g. Prisma's CLI). */
  commands?: string[] | undefined;
  /** How many objects were compared. */
  compared: number;
  durationMs: number;
}

export interface CheckContext {
  /** A connection inside a READ ONLY transaction on the verified database. */
  client: pg.ClientBase;
  databaseUrl: string;
  /** The scratch server (shadow databases for the drift check); never the verified database's. */
  scratchAdminUrl: string;
  project: PrismaProject;
  expected: ExpectedState;
  live: LiveSchema;
  migrations: readonly RecognisedMigration[];
  history: readonly HistoryRow[] | undefined;
  /** An expand applied and its contract waiting: what the contract will drop is expected meanwhile. */
  window?: ContractWindow | undefined;
}

export interface Check {
  id: string;
  title: string;
  run(context: CheckContext): Promise<Omit<CheckResult, "id" | "title" | "durationMs">>;
}

/** The catalog queries a check's comparison rests on, as they ran for these schemas. */
export function catalogQueries(schemas: readonly string[], ...names: string[]): string[] {
  return names.map((name) => `-- ${name}.sql\n${catalogSqlAsRun(name, schemas)}`);
}

/**
 * A comparison's result: objects of the model missing or defined differently, and objects the database
 * has that the model does not (`extra`), counted apart so that the sentence stays true.
 */
export function outcome(findings: CheckFinding[], compared: number, noun: string, sql: string[]): Omit<CheckResult, "id" | "title" | "durationMs"> {
  const extra = findings.filter((f) => f.expected === "absent").length;
  const differing = findings.length - extra;
  const parts: string[] = [];
  if (differing > 0) parts.push(`${differing} of the model's ${compared} ${noun} are missing or differ`);
  if (extra > 0) parts.push(`${extra} ${noun} in the database are not in the model`);
  return {
    status: findings.length === 0 ? "pass" : "fail",
    summary: findings.length === 0 ? `All ${compared} ${noun} match the model.` : `${parts.join("; ")}.`,
    findings,
    sql,
    compared,
  };
}

export const tableKey = (object: { schema: string; table: string }) => `${object.schema}.${object.table}`;
