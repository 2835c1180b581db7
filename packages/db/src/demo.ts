import type pg from "pg";
import { runSeed } from "@soleflip/project";
import { soleflipProject } from "./paths.ts";

export interface DemoDataOptions {
  /** 1 = SoleFlip's real size (763 products, 1,106 stock rows and orders); 100 = 76,300 products. */
  scale: number;
  seed?: string;
  /** Share of products needing enrichment (0.005 for the steady state); default: the backlog's own shares. */
  needsEnrichment?: number | undefined;
  /** Exact row counts instead of the scale's (e.g. 1,000,000 of each for the benchmarks). */
  counts?: { products: number; stock: number; orders: number } | undefined;
}

export interface DemoDataSummary {
  products: number;
  stock: number;
  orders: number;
  seed: string;
}

/**
 * Fills a SoleFlip database (pre-fix or after-fix structure, empty) with realistic, deterministic data
 * from prisma/demo/seed.sql: 8 marketplaces, 65 brands, 8 categories, 86 sizes, 12 suppliers, products
 * with the enrichment gaps, stock, listings, and orders from several marketplaces with mixed-case
 * statuses. Same seed and scale, same rows. Runs server-side in one transaction.
 */
export async function generateDemoData(client: pg.ClientBase, options: DemoDataOptions): Promise<DemoDataSummary> {
  const seed = options.seed ?? "soleflip";
  await runSeed(client, soleflipProject, {
    scale: options.scale,
    seed,
    settings: { needs_enrichment: options.needsEnrichment, products: options.counts?.products, stock: options.counts?.stock, orders: options.counts?.orders },
  });
  const counts = await client.query<{ products: string; stock: string; orders: string }>(
    'SELECT (SELECT count(*) FROM catalog.product) AS products, (SELECT count(*) FROM inventory.stock) AS stock, (SELECT count(*) FROM sales."order") AS orders',
  );
  const row = counts.rows[0];
  return { products: Number(row?.products ?? 0), stock: Number(row?.stock ?? 0), orders: Number(row?.orders ?? 0), seed };
}
