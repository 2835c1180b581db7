-- The 2025-11-17 fix, in online-safe form (what `pnpm db:migrate:create` makes of Prisma's SQL for the
-- model change, plus the declared data repair). Each foreign key is added NOT VALID (a brief lock, no
-- scan), validated without blocking writes, then swapped in; NOT NULL goes through a validated CHECK so
-- SET NOT NULL needs no scan. The runner applies these from the live definitions: parts already present
-- are skipped, a key that exists under the same name with the wrong actions or NOT VALID is replaced.
-- Applied by `prisma migrate deploy` instead, the same statements run in order on a pre-fix database.
SET lock_timeout = '100ms';

-- order -> stock: NO ACTION -> ON DELETE RESTRICT ON UPDATE CASCADE
ALTER TABLE sales."order" ADD CONSTRAINT order_inventory_item_id_fkey_new FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE sales."order" VALIDATE CONSTRAINT order_inventory_item_id_fkey_new;
ALTER TABLE sales."order" DROP CONSTRAINT order_inventory_item_id_fkey;
ALTER TABLE sales."order" RENAME CONSTRAINT order_inventory_item_id_fkey_new TO order_inventory_item_id_fkey;

-- stock -> product: NO ACTION -> RESTRICT/CASCADE
ALTER TABLE inventory.stock ADD CONSTRAINT stock_product_id_fkey_new FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE inventory.stock VALIDATE CONSTRAINT stock_product_id_fkey_new;
ALTER TABLE inventory.stock DROP CONSTRAINT stock_product_id_fkey;
ALTER TABLE inventory.stock RENAME CONSTRAINT stock_product_id_fkey_new TO stock_product_id_fkey;

-- stock -> sizes: NOT VALID, NO ACTION -> validated, RESTRICT/CASCADE
ALTER TABLE inventory.stock ADD CONSTRAINT stock_size_id_fkey_new FOREIGN KEY (size_id) REFERENCES catalog.sizes (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE inventory.stock VALIDATE CONSTRAINT stock_size_id_fkey_new;
ALTER TABLE inventory.stock DROP CONSTRAINT stock_size_id_fkey;
ALTER TABLE inventory.stock RENAME CONSTRAINT stock_size_id_fkey_new TO stock_size_id_fkey;

-- stock -> supplier profile: NO ACTION -> RESTRICT/CASCADE
ALTER TABLE inventory.stock ADD CONSTRAINT stock_supplier_id_fkey_new FOREIGN KEY (supplier_id) REFERENCES supplier.profile (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE inventory.stock VALIDATE CONSTRAINT stock_supplier_id_fkey_new;
ALTER TABLE inventory.stock DROP CONSTRAINT stock_supplier_id_fkey;
ALTER TABLE inventory.stock RENAME CONSTRAINT stock_supplier_id_fkey_new TO stock_supplier_id_fkey;

-- eBay and GOAT orders have no StockX number.
-- migrator-ignore ban-drop-not-null: the point of the fix; the column keeps its unique index, and readers already handle non-StockX orders
ALTER TABLE sales."order" ALTER COLUMN stockx_order_number DROP NOT NULL;

-- migrator:repair backfill-order-platform-stockx
-- migrator:why Before this fix stockx_order_number was NOT NULL, so every order that existed then was a
-- migrator:why StockX order: an order with a StockX number and no platform_id provably belongs to the
-- migrator:why marketplace with slug 'stockx'. An order with neither has no provable platform: it is left
-- migrator:why NULL, and the NOT NULL pre-flight below stops the run naming it.
UPDATE sales."order" AS o
   SET platform_id = m.id
  FROM platform.marketplace AS m
 WHERE m.slug = 'stockx'
   AND o.platform_id IS NULL
   AND o.stockx_order_number IS NOT NULL;

-- order -> marketplace: the missing key, then NOT NULL
ALTER TABLE sales."order" ADD CONSTRAINT order_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platform.marketplace (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE sales."order" VALIDATE CONSTRAINT order_platform_id_fkey;
ALTER TABLE sales."order" ADD CONSTRAINT order_platform_id_not_null_check CHECK (platform_id IS NOT NULL) NOT VALID;
ALTER TABLE sales."order" VALIDATE CONSTRAINT order_platform_id_not_null_check;
ALTER TABLE sales."order" ALTER COLUMN platform_id SET NOT NULL;
ALTER TABLE sales."order" DROP CONSTRAINT order_platform_id_not_null_check;
