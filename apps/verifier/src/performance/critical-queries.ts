/** The queries the schema exists to serve, as SoleFlip runs them (shared/soleflip: "The enrichment query"). */
export interface CriticalQuery {
  id: string;
  title: string;
  sql: string;
  /** Indexes that were built for it; the report says when the planner leaves them unused. */
  servedBy: string[];
}

export const ENRICHMENT_INDEXES = [
  "idx_product_description_null",
  "idx_product_retail_price_null",
  "idx_product_release_date_null",
  "idx_product_enrichment_status",
];

export const CRITICAL_QUERIES: readonly CriticalQuery[] = [
  {
    id: "enrichment-job-filter",
    title: "Enrichment job's filter (what the partial indexes were built for)",
    sql: "SELECT id, description, retail_price, release_date FROM catalog.product WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL",
    servedBy: ENRICHMENT_INDEXES,
  },
  {
    id: "enrichment-api-query",
    title: "Enrichment API endpoint (LIMIT 50, no ORDER BY)",
    sql: "SELECT p.id, p.name, p.sku, b.name AS brand_name FROM catalog.product p LEFT JOIN catalog.brand b ON p.brand_id = b.id WHERE p.sku IS NULL OR p.sku = '' OR p.description IS NULL OR p.retail_price IS NULL OR p.release_date IS NULL LIMIT 50",
    servedBy: ENRICHMENT_INDEXES,
  },
];
