import { legacyDatabase, migratedDatabase, tableFingerprints } from "@soleflip/db/testing";
import { withClient } from "@soleflip/postgres";
import { describe, expect, it } from "vitest";
import { generateDemoData } from "./demo.ts";

const count = (url: string, sql: string) => withClient(url, async (client) => (await client.query<{ n: string }>(sql)).rows[0]?.n);

describe("generateDemoData", () => {
  it("fills the pre-fix structure at SoleFlip's real size, deterministically for a seed", async () => {
    const [a, b, c] = await Promise.all([legacyDatabase("sf_demo_a"), legacyDatabase("sf_demo_b"), legacyDatabase("sf_demo_c")]);
    await withClient(a, (client) => generateDemoData(client, { scale: 1, seed: "s1" }));
    await withClient(b, (client) => generateDemoData(client, { scale: 1, seed: "s1" }));
    await withClient(c, (client) => generateDemoData(client, { scale: 1, seed: "s2" }));
    const [fa, fb, fc] = await Promise.all([tableFingerprints(a), tableFingerprints(b), tableFingerprints(c)]);
    expect(fa).toEqual(fb);
    expect(fa).not.toEqual(fc);
    const rows = Object.fromEntries(fa.map((f) => [f.table, f.rows]));
    expect(rows).toMatchObject({ "catalog.product": 763, "inventory.stock": 1106, "sales.order": 1106, "catalog.brand": 65, "catalog.category": 8, "catalog.sizes": 86, "platform.marketplace": 8 });
    // the real enrichment backlog: tens of percent of products miss description, price or release date
    const needing = Number(await count(a, "SELECT count(*) AS n FROM catalog.product WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL"));
    expect(needing / 763).toBeGreaterThan(0.4);
    expect(needing / 763).toBeLessThan(0.8);
    // orders come from several marketplaces, all with a StockX number before the fix, a few without platform
    expect(Number(await count(a, 'SELECT count(DISTINCT platform_id) AS n FROM sales."order"'))).toBeGreaterThanOrEqual(8);
    expect(Number(await count(a, 'SELECT count(*) AS n FROM sales."order" WHERE platform_id IS NULL'))).toBeGreaterThan(0);
    expect(Number(await count(a, 'SELECT count(*) AS n FROM sales."order" WHERE status <> upper(status)'))).toBeGreaterThan(0);
  });

  it("scales, fills the after-fix structure too, and honours a steady-state enrichment share", async () => {
    const url = await migratedDatabase("sf_demo_scaled");
    // after the fix platform_id is NOT NULL: the generator's orders without platform would be rejected
    await withClient(url, (client) => client.query('ALTER TABLE sales."order" ALTER COLUMN platform_id DROP NOT NULL'));
    const summary = await withClient(url, (client) => generateDemoData(client, { scale: 10, needsEnrichment: 0.005 }));
    expect(summary).toMatchObject({ products: 7630, stock: 11060, orders: 11060 });
    const needing = Number(await count(url, "SELECT count(*) AS n FROM catalog.product WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL"));
    expect(needing).toBeGreaterThan(15);
    expect(needing).toBeLessThan(70);
  });

  it("rejects a bad scale and a non-empty database, changing nothing", async () => {
    const url = await legacyDatabase("sf_demo_bad");
    await expect(withClient(url, (client) => generateDemoData(client, { scale: 0 }))).rejects.toMatchObject({ code: "project.bad-scale" });
    await withClient(url, (client) => generateDemoData(client, { scale: 0.1 }));
    const before = await tableFingerprints(url);
    await expect(withClient(url, (client) => generateDemoData(client, { scale: 0.1 }))).rejects.toMatchObject({ code: "project.seed-failed" });
    expect(await tableFingerprints(url)).toEqual(before);
  });
});
