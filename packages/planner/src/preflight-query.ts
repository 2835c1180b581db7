import type pg from "pg";

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
