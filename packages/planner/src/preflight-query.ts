import type pg from "pg";
import type { PreflightResult } from "./types.ts";

const SAMPLE_SIZE = 5;

/**
 * Counts the rows `fromWhere` (a FROM … WHERE … clause) selects and names up to five of them by
 * `keySql`, without changing anything. The query that was run is returned for the report.
 */
export async function countRows(client: Pick<pg.ClientBase, "query">, fromWhere: string, keySql: string): Promise<{ count: number; sample: string[]; sql: string }> {
  const sql = `SELECT count(*) ${fromWhere}`;
  const total = await client.query<{ count: string }>(sql);
  const count = Number(total.rows[0]?.count ?? 0);
  if (count === 0) return { count, sample: [], sql };
  const sample = await client.query<{ k: string }>(`SELECT ${keySql} AS k ${fromWhere} ORDER BY 1 LIMIT ${SAMPLE_SIZE}`);
  return { count, sample: sample.rows.map((row) => row.k), sql };
}

/** "3 rows" / "1 row" */
export const rowsText = (count: number): string => `${count.toLocaleString("en-US")} row${count === 1 ? "" : "s"}`;

/** What a counting check says about itself; the counting fills in the rest. */
export type CheckIdentity = Omit<PreflightResult, "count" | "sampleKeys" | "passed" | "sql" | "message">;

/**
 * A pre-flight check that passes when `fromWhere` selects no row: the count, up to five sample keys,
 * the query as it ran, and `message(count)`.
 */
export async function countedCheck(
  client: Pick<pg.ClientBase, "query">,
  identity: CheckIdentity,
  fromWhere: string,
  keySql: string,
  message: (count: number) => string,
): Promise<PreflightResult> {
  const { count, sample, sql } = await countRows(client, fromWhere, keySql);
  return { ...identity, count, sampleKeys: sample, passed: count === 0, sql, message: message(count) };
}
