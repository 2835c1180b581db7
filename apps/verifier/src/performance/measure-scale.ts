import type pg from "pg";
import { CRITICAL_QUERIES } from "./critical-queries.ts";
import { measureQuery, type Measurement } from "./explain.ts";

export async function measureAll(client: pg.ClientBase, runs: number): Promise<Map<string, Measurement>> {
  const results = new Map<string, Measurement>();
  for (const query of CRITICAL_QUERIES) results.set(query.id, await measureQuery(client, query, { runs }));
  return results;
}

export async function enrichmentCounts(client: pg.ClientBase): Promise<{ products: number; needingEnrichment: number }> {
  const row = (
    await client.query<{ products: string; needing: string }>(
      "SELECT count(*) AS products, count(*) FILTER (WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL) AS needing FROM catalog.product",
    )
  ).rows[0];
  return { products: Number(row?.products ?? 0), needingEnrichment: Number(row?.needing ?? 0) };
}
