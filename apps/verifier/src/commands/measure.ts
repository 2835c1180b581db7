import { readCriticalQueries, type PrismaProject } from "@soleflip/project";
import { withClient } from "@soleflip/postgres";
import type { PerformanceComparison } from "@soleflip/report";
import { measureAll, type QueryMeasurement } from "@soleflip/verification";

/** The project's critical queries measured on one database (none when the project keeps none). */
export async function measureProjectQueries(url: string, project: PrismaProject, runs: number): Promise<QueryMeasurement[]> {
  const queries = await readCriticalQueries(project.queriesDir);
  if (queries.length === 0) return [];
  return withClient(url, (client) => measureAll(client, queries, runs), { readOnly: true });
}

/** Before and after of each query, side by side. */
export function comparisons(after: readonly QueryMeasurement[], before?: readonly QueryMeasurement[]): PerformanceComparison[] {
  return after.map((entry) => {
    const earlier = before?.find((b) => b.query.id === entry.query.id);
    return {
      query: { id: entry.query.id, title: entry.query.title, sql: entry.query.sql, serves: entry.query.serves, indexes: entry.query.indexes },
      ...(earlier?.measurement ? { before: earlier.measurement } : {}),
      ...(entry.measurement ? { after: entry.measurement } : {}),
      ...(entry.skipped ? { skipped: entry.skipped } : {}),
    };
  });
}
