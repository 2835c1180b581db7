import { migratedDatabase } from "@soleflip/db/testing";
import { generateDemoData } from "@soleflip/db/demo";
import { soleflipProject } from "@soleflip/db/paths";
import { readCriticalQueries, type CriticalQuery } from "@soleflip/project";
import { withClient } from "@soleflip/postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { measureQuery } from "./explain.ts";
import { proposeIndexes } from "./propose-index.ts";

// SoleFlip after the fix, 30,000 products of which 0.5% need enrichment: the API query's OR over five
// columns is served by a BitmapOr of several indexes, a shape a single partial index can beat.
let url: string;
let queries: CriticalQuery[];
beforeAll(async () => {
  url = await migratedDatabase("sf_propose");
  await withClient(url, async (client) => {
    await client.query('ALTER TABLE sales."order" ALTER COLUMN platform_id DROP NOT NULL');
    await generateDemoData(client, { scale: 1, needsEnrichment: 0.005, counts: { products: 30_000, stock: 1_000, orders: 1_000 } });
    await client.query("VACUUM ANALYZE");
  });
  queries = await readCriticalQueries(soleflipProject.queriesDir);
}, 120_000);

const indexCount = (client: { query: (sql: string) => Promise<{ rows: Array<{ n: string }> }> }) =>
  client.query("SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'catalog' AND tablename = 'product'").then((r) => Number(r.rows[0]?.n));

describe("proposeIndexes", () => {
  it("builds the plan's filter as a partial index, measures the query with it, and leaves the database as it was", async () => {
    const query = queries.find((q) => q.id === "enrichment-api-query") as CriticalQuery;
    await withClient(url, async (client) => {
      const indexesBefore = await indexCount(client);
      const current = await measureQuery(client, query, { runs: 5 });
      const proposals = await proposeIndexes(client, query, current, { runs: 5 });
      expect(proposals).toHaveLength(1);
      const [proposal] = proposals;
      expect(proposal).toMatchObject({ queryId: "enrichment-api-query", table: "catalog.product" });
      // the alias p is gone: the predicate stands on the table alone, and PostgreSQL built it as written
      expect(proposal?.predicate).not.toContain("p.");
      expect(proposal?.predicate).toContain("sku IS NULL");
      expect(proposal?.sql).toMatch(/^CREATE INDEX CONCURRENTLY product_candidate_[0-9a-f]{8} ON catalog\.product \(id\) WHERE /);
      expect(proposal?.sql).not.toMatch(/\n| {2}/);
      expect(proposal?.built?.indexBytes).toBeGreaterThan(0);
      expect(proposal?.built?.used).toBe(true);
      expect(proposal?.built?.measurement.indexesUsed.some((name) => name.startsWith("product_candidate_"))).toBe(true);
      expect(["faster", "no-measurable-change", "slower"]).toContain(proposal?.verdict);
      expect(await indexCount(client)).toBe(indexesBefore);
    });
  });

  it("proposes nothing for a small table, and refuses a filter that holds a subquery", async () => {
    await withClient(url, async (client) => {
      const brands: CriticalQuery = { ...queries[0], id: "brands", sql: "SELECT id FROM catalog.brand WHERE name IS NULL OR name = ''", indexes: [] } as CriticalQuery;
      expect(await proposeIndexes(client, brands, await measureQuery(client, brands, { runs: 1 }), { runs: 1 })).toEqual([]);
      const correlated: CriticalQuery = {
        ...queries[0],
        id: "correlated",
        sql: "SELECT p.id FROM catalog.product p WHERE p.description IS NULL OR p.name = (SELECT min(b.name) FROM catalog.brand b WHERE b.id = p.brand_id)",
        indexes: [],
      } as CriticalQuery;
      const [refused] = await proposeIndexes(client, correlated, await measureQuery(client, correlated, { runs: 1 }), { runs: 1 });
      expect(refused).toMatchObject({ verdict: "not-built", table: "catalog.product" });
      expect(refused?.reason).toMatch(/subplan|parameter|subquery/);
    });
  });
});
