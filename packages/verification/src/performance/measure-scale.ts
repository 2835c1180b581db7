import type { CriticalQuery } from "@soleflip/project";
import type pg from "pg";
import { measureQuery, type Measurement } from "./explain.ts";

export interface QueryMeasurement {
  query: CriticalQuery;
  measurement?: Measurement | undefined;
  /** Why it was not measured (e.g. its tables do not exist in this database). */
  skipped?: string | undefined;
}

/** SQLSTATEs that mean the query does not fit this database's structure (not a tool failure). */
const NOT_HERE = new Set(["42P01", "42703", "3F000", "42883"]);

/**
 * Measures each critical query; one whose tables or columns this database lacks is reported as skipped
 * with the reason, instead of failing the verification. The measurements read only.
 */
export async function measureAll(client: pg.ClientBase, queries: readonly CriticalQuery[], runs: number): Promise<QueryMeasurement[]> {
  const results: QueryMeasurement[] = [];
  for (const query of queries) {
    try {
      results.push({ query, measurement: await measureQuery(client, query, { runs }) });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !NOT_HERE.has(code)) throw error;
      results.push({ query, skipped: `not measured: ${(error as Error).message} (the query does not fit this database's structure)` });
    }
  }
  return results;
}
