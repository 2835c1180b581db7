-- name: enrichment-job-filter
-- title: Enrichment job's filter
-- serves: the enrichment job, which fills products' missing description, retail price and release date; the four partial indexes were built for it
-- indexes: idx_product_description_null, idx_product_retail_price_null, idx_product_release_date_null, idx_product_enrichment_status
SELECT id, description, retail_price, release_date
FROM catalog.product
WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL
