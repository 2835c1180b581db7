-- name: enrichment-api-query
-- title: Enrichment API endpoint (LIMIT 50, no ORDER BY)
-- serves: the API endpoint that lists products needing enrichment
-- indexes: idx_product_description_null, idx_product_retail_price_null, idx_product_release_date_null, idx_product_enrichment_status
SELECT p.id, p.name, p.sku, b.name AS brand_name
FROM catalog.product p
LEFT JOIN catalog.brand b ON p.brand_id = b.id
WHERE p.sku IS NULL OR p.sku = '' OR p.description IS NULL OR p.retail_price IS NULL OR p.release_date IS NULL
LIMIT 50
