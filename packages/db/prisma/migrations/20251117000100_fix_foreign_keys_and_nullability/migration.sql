-- The 2025-11-17 fix, as Prisma generates it from the model (migrate diff --from-migrations --to-schema):
-- the five foreign keys re-created ON DELETE RESTRICT ON UPDATE CASCADE (which also validates
-- stock_size_id_fkey), the missing order -> marketplace key, platform_id NOT NULL and
-- stockx_order_number nullable.
-- DropForeignKey
ALTER TABLE "inventory"."stock" DROP CONSTRAINT "stock_product_id_fkey";

-- DropForeignKey
ALTER TABLE "inventory"."stock" DROP CONSTRAINT "stock_size_id_fkey";

-- DropForeignKey
ALTER TABLE "inventory"."stock" DROP CONSTRAINT "stock_supplier_id_fkey";

-- DropForeignKey
ALTER TABLE "sales"."order" DROP CONSTRAINT "order_inventory_item_id_fkey";

-- AlterTable
ALTER TABLE "sales"."order" ALTER COLUMN "stockx_order_number" DROP NOT NULL,
ALTER COLUMN "platform_id" SET NOT NULL;

-- AddForeignKey
ALTER TABLE "inventory"."stock" ADD CONSTRAINT "stock_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "catalog"."product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory"."stock" ADD CONSTRAINT "stock_size_id_fkey" FOREIGN KEY ("size_id") REFERENCES "catalog"."sizes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory"."stock" ADD CONSTRAINT "stock_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"."profile"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales"."order" ADD CONSTRAINT "order_inventory_item_id_fkey" FOREIGN KEY ("inventory_item_id") REFERENCES "inventory"."stock"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales"."order" ADD CONSTRAINT "order_platform_id_fkey" FOREIGN KEY ("platform_id") REFERENCES "platform"."marketplace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


