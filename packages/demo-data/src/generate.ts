import { readFileSync } from "node:fs";
import type pg from "pg";
import { ToolkitError } from "@soleflip/core";

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

export const REAL_SIZE = { products: 763, stock: 1_106, orders: 1_106 } as const;

const generateSql = readFileSync(new URL("./sql/generate.sql", import.meta.url), "utf8");

/**
 * Fills a SoleFlip database (pre-fix or after-fix structure, empty) with realistic, deterministic data:
 * 8 marketplaces, 65 brands, 8 categories, 86 sizes, 12 suppliers, products with the enrichment gaps,
 * stock, listings, and orders from several marketplaces with mixed-case statuses. Same seed and scale,
 * same rows. Runs server-side in one transaction.
 */
export async function generateDemoData(client: pg.ClientBase, options: DemoDataOptions): Promise<DemoDataSummary> {
  if (!(options.scale > 0)) {
    throw new ToolkitError({ code: "demo-data.bad-scale", summary: `Scale must be positive, got ${options.scale}.`, fix: "Use e.g. 1 (real size) or 100." });
  }
  const seed = options.seed ?? "soleflip";
  const counts = options.counts ?? {
    products: Math.max(1, Math.round(REAL_SIZE.products * options.scale)),
    stock: Math.max(1, Math.round(REAL_SIZE.stock * options.scale)),
    orders: Math.max(1, Math.round(REAL_SIZE.orders * options.scale)),
  };
  if (counts.orders > counts.stock) {
    throw new ToolkitError({ code: "demo-data.bad-counts", summary: "Every order sells one stock row: orders cannot outnumber stock.", fix: "Use orders <= stock." });
  }
  await client.query("BEGIN");
  try {
    await client.query("SELECT set_config('demo.seed', $1, true), set_config('demo.products', $2, true), set_config('demo.stock', $3, true), set_config('demo.orders', $4, true), set_config('demo.needs_enrichment', $5, true)", [
      seed,
      String(counts.products),
      String(counts.stock),
      String(counts.orders),
      options.needsEnrichment === undefined ? "" : String(options.needsEnrichment),
    ]);
    await client.query(generateSql);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new ToolkitError({
      code: "demo-data.failed",
      summary: `Generating demo data failed: ${(error as Error).message}`,
      fix: "Generate into an empty SoleFlip database (pre-fix or after-fix structure).",
      cause: error,
    });
  }
  return { ...counts, seed };
}
