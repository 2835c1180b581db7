-- Rollback: drop the four enrichment indexes without blocking reads or writes.
SET lock_timeout = '60s';
DROP INDEX CONCURRENTLY IF EXISTS catalog.idx_product_enrichment_status;
DROP INDEX CONCURRENTLY IF EXISTS catalog.idx_product_release_date_null;
DROP INDEX CONCURRENTLY IF EXISTS catalog.idx_product_retail_price_null;
DROP INDEX CONCURRENTLY IF EXISTS catalog.idx_product_description_null;
