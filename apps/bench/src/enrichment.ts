import { readFile } from "node:fs/promises";
import { generateDemoData } from "@soleflip/db/demo";
import { dbPackagePaths, soleflipProject } from "@soleflip/db/paths";
import { recreateOwnedDatabase, dropOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { readCriticalQueries } from "@soleflip/project";
import { measureQuery, type Measurement } from "@soleflip/verification";

export interface EnrichmentCase {
  products: number;
  share: "backlog" | "0.5%";
  needing: number;
  query: string;
  before: Measurement;
  after: Measurement;
  speedup: number;
}

const INDEXES = [
  "CREATE INDEX CONCURRENTLY idx_product_description_null ON catalog.product (id) WHERE description IS NULL",
  "CREATE INDEX CONCURRENTLY idx_product_retail_price_null ON catalog.product (id) WHERE retail_price IS NULL",
  "CREATE INDEX CONCURRENTLY idx_product_release_date_null ON catalog.product (id) WHERE release_date IS NULL",
  "CREATE INDEX CONCURRENTLY idx_product_enrichment_status ON catalog.product (id, description, retail_price, release_date) WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL",
];

/** Both enrichment query shapes, before and after the four partial indexes, per size and share. */
export async function measureEnrichment(options: { adminUrl: string; sizes: number[]; runs: number; say: (line: string) => void }): Promise<EnrichmentCase[]> {
  const legacy = await readFile(dbPackagePaths.legacySchema, "utf8");
  const cases: EnrichmentCase[] = [];
  const queries = await readCriticalQueries(soleflipProject.queriesDir);
  for (const products of options.sizes) {
    for (const share of ["backlog", "0.5%"] as const) {
      const name = "bench_enrichment";
      await recreateOwnedDatabase(options.adminUrl, name, "scratch");
      const url = withDatabase(options.adminUrl, name);
      const needing = await withClient(url, async (client) => {
        await client.query(legacy);
        await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
        await generateDemoData(client, { scale: 1, counts: { products, stock: 1, orders: 1 }, needsEnrichment: share === "0.5%" ? 0.005 : undefined });
        await client.query("VACUUM ANALYZE catalog.product");
        return Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM catalog.product WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL")).rows[0]?.n);
      });
      const before = await withClient(url, async (client) => Promise.all(queries.map(async (q) => [q.id, await measureQuery(client, q, { runs: options.runs })] as const)).then((pairs) => new Map(pairs)));
      await withClient(url, async (client) => {
        for (const sql of INDEXES) await client.query(sql);
        await client.query("ANALYZE catalog.product");
      });
      for (const query of queries) {
        const after = await withClient(url, (client) => measureQuery(client, query, { runs: options.runs }));
        const b = before.get(query.id) as Measurement;
        const entry = { products, share, needing, query: query.id, before: b, after, speedup: Math.round((b.medianMs / after.medianMs) * 10) / 10 };
        cases.push(entry);
        options.say(`  ${products.toLocaleString("en-US")} products, ${share} (${needing.toLocaleString("en-US")} needing), ${query.id}: ${b.medianMs} ms → ${after.medianMs} ms (${entry.speedup}×), plan ${after.nodeTypes.join(" → ")}`);
      }
      await dropOwnedDatabase(options.adminUrl, name);
    }
  }
  return cases;
}
