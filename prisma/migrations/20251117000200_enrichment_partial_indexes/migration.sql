-- Hand-written raw migration: the four partial indexes the enrichment job's filter needs
-- (description IS NULL OR retail_price IS NULL OR release_date IS NULL on catalog.product).
-- Prisma cannot generate partial indexes safely (see schema.prisma), and builds indexes with a
-- blocking CREATE INDEX; these are built CONCURRENTLY, so the step is not transactional: each
-- statement runs on its own, and IF NOT EXISTS makes a re-run after an interruption safe (an index
-- left INVALID by an interrupted build is detected and rebuilt by the migrator). Their SHARE UPDATE
-- EXCLUSIVE lock does not block reads or writes, so waiting for it is harmless: a long lock_timeout.
SET lock_timeout = '60s';

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_product_description_null
    ON catalog.product USING btree (id)
    WHERE description IS NULL;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_product_retail_price_null
    ON catalog.product USING btree (id)
    WHERE retail_price IS NULL;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_product_release_date_null
    ON catalog.product USING btree (id)
    WHERE release_date IS NULL;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_product_enrichment_status
    ON catalog.product USING btree (id, description, retail_price, release_date)
    WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL;
