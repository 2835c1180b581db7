-- Rollback of the 2025-11-17 fix, online-safe: the keys go back to NO ACTION (stock_size_id_fkey back to
-- NOT VALID, as production had it), order -> marketplace is dropped, platform_id becomes nullable again.
-- stockx_order_number can only become NOT NULL again if every order has one: non-StockX orders created
-- since the fix make that impossible, and then this file stops at that statement, after the rest.
SET lock_timeout = '100ms';
ALTER TABLE sales."order" DROP CONSTRAINT order_platform_id_fkey;
ALTER TABLE sales."order" ALTER COLUMN platform_id DROP NOT NULL;
ALTER TABLE sales."order" ADD CONSTRAINT order_inventory_item_id_fkey_old FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock (id) NOT VALID;
ALTER TABLE sales."order" VALIDATE CONSTRAINT order_inventory_item_id_fkey_old;
ALTER TABLE sales."order" DROP CONSTRAINT order_inventory_item_id_fkey;
ALTER TABLE sales."order" RENAME CONSTRAINT order_inventory_item_id_fkey_old TO order_inventory_item_id_fkey;
ALTER TABLE inventory.stock ADD CONSTRAINT stock_product_id_fkey_old FOREIGN KEY (product_id) REFERENCES catalog.product (id) NOT VALID;
ALTER TABLE inventory.stock VALIDATE CONSTRAINT stock_product_id_fkey_old;
ALTER TABLE inventory.stock DROP CONSTRAINT stock_product_id_fkey;
ALTER TABLE inventory.stock RENAME CONSTRAINT stock_product_id_fkey_old TO stock_product_id_fkey;
ALTER TABLE inventory.stock ADD CONSTRAINT stock_size_id_fkey_old FOREIGN KEY (size_id) REFERENCES catalog.sizes (id) NOT VALID;
ALTER TABLE inventory.stock DROP CONSTRAINT stock_size_id_fkey;
ALTER TABLE inventory.stock RENAME CONSTRAINT stock_size_id_fkey_old TO stock_size_id_fkey;
ALTER TABLE inventory.stock ADD CONSTRAINT stock_supplier_id_fkey_old FOREIGN KEY (supplier_id) REFERENCES supplier.profile (id) NOT VALID;
ALTER TABLE inventory.stock VALIDATE CONSTRAINT stock_supplier_id_fkey_old;
ALTER TABLE inventory.stock DROP CONSTRAINT stock_supplier_id_fkey;
ALTER TABLE inventory.stock RENAME CONSTRAINT stock_supplier_id_fkey_old TO stock_supplier_id_fkey;
ALTER TABLE sales."order" ADD CONSTRAINT order_stockx_order_number_not_null_check CHECK (stockx_order_number IS NOT NULL) NOT VALID;
ALTER TABLE sales."order" VALIDATE CONSTRAINT order_stockx_order_number_not_null_check;
ALTER TABLE sales."order" ALTER COLUMN stockx_order_number SET NOT NULL;
ALTER TABLE sales."order" DROP CONSTRAINT order_stockx_order_number_not_null_check;
