import { migratedDatabase } from "@soleflip/db/testing";
import { generateDemoData } from "@soleflip/db/demo";
import { soleflipProject } from "@soleflip/db/paths";
import { readCriticalQueries } from "@soleflip/project";
import { withClient } from "@soleflip/postgres";
import { describe, expect, it } from "vitest";
import { measureQuery, quantile } from "./explain.ts";

describe("measureQuery", () => {
  it("reports what an independent EXPLAIN ANALYZE of the same query on the same database shows", async () => {
    const url = await migratedDatabase("sf_explain");
    await withClient(url, async (client) => {
      await client.query('ALTER TABLE sales."order" ALTER COLUMN platform_id DROP NOT NULL');
      await generateDemoData(client, { scale: 1 });
    });
    const query = (await readCriticalQueries(soleflipProject.queriesDir)).find((q) => q.id === "enrichment-job-filter");
    if (!query) throw new Error("no query");
    const measured = await withClient(url, (client) => measureQuery(client, query, { runs: 5, warmups: 1 }));
    const independent = await withClient(url, async (client) => {
      const plans: Array<{ time: number; rows: number; text: string }> = [];
      for (let i = 0; i < 5; i++) {
        const text = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ANALYZE ${query.sql}`)).rows.map((row) => row["QUERY PLAN"]).join("\n");
        plans.push({ time: Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1]), rows: Number(/actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(text)?.[1]), text });
      }
      return plans;
    });
    const count = await withClient(url, async (client) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${query.sql}) q`)).rows[0]?.n));
    expect(measured.rows).toBe(count);
    expect(independent[0]?.rows).toBe(count);
    expect(measured.runsMs).toHaveLength(5);
    // same plan: every node type we report appears in the independent plan text
    for (const nodeType of measured.nodeTypes) expect(independent[0]?.text).toContain(nodeType);
    // same order of magnitude: the independent median lies within our observed spread, widened for noise
    const independentMedian = quantile(independent.map((p) => p.time).sort((a, b) => a - b), 0.5);
    expect(independentMedian).toBeGreaterThan(measured.minMs / 3);
    expect(independentMedian).toBeLessThan(measured.maxMs * 3);
    // at 763 rows with a backlog of tens of percent, the planner scans and leaves the partial indexes unused
    expect(measured.nodeTypes).toContain("Seq Scan");
    expect(measured.unusedIndexes).toEqual(["idx_product_description_null", "idx_product_enrichment_status", "idx_product_release_date_null", "idx_product_retail_price_null"]);
  });

  it("computes quantiles by linear interpolation", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.25)).toBe(5);
    expect(quantile([1, 3, 5, 7, 9], 0.75)).toBe(7);
  });
});
