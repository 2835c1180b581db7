import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createDbClient, type SoleFlipClient } from "../src/client.ts";
import { migratedDatabase } from "../src/testing.ts";

describe("the typed client", () => {
  const clients: SoleFlipClient[] = [];
  afterAll(async () => {
    for (const client of clients) await client.$disconnect();
  });

  it("round-trips brand -> product -> stock -> order across four schemas", async () => {
    const db = createDbClient(await migratedDatabase("sf_client"));
    clients.push(db);
    const brand = await db.brand.create({ data: { id: randomUUID(), name: "Nike", slug: "nike" } });
    const category = await db.category.create({ data: { id: randomUUID(), name: "Sneakers", slug: "sneakers" } });
    const size = await db.size.create({ data: { id: randomUUID(), value: "42", region: "EU", categoryId: category.id } });
    const product = await db.product.create({
      data: { id: randomUUID(), sku: "DD1391-100", name: "Dunk Low Panda", brandId: brand.id, categoryId: category.id },
    });
    const stock = await db.stock.create({
      data: { id: randomUUID(), productId: product.id, sizeId: size.id, quantity: 1, status: "in_stock" },
    });
    const ebay = await db.marketplace.create({ data: { id: randomUUID(), name: "eBay", slug: "ebay" } });
    // an eBay order has no StockX number: nullable since the fix
    await db.order.create({
      data: { id: randomUUID(), inventoryItemId: stock.id, platformId: ebay.id, status: "completed" },
    });

    const found = await db.order.findFirstOrThrow({
      include: { marketplace: true, stock: { include: { product: { include: { brand: true } }, size: true } } },
    });
    expect(found.stockxOrderNumber).toBeNull();
    expect(found.marketplace.slug).toBe("ebay");
    expect(found.stock.product.brand?.name).toBe("Nike");
    expect(found.stock.size.value).toBe("42");

    // ON DELETE RESTRICT: a stock row with an order cannot go
    await expect(db.stock.delete({ where: { id: stock.id } })).rejects.toThrow();
    // ON UPDATE CASCADE: renumbering a marketplace carries its orders along
    const newId = randomUUID();
    await db.$executeRaw`UPDATE platform.marketplace SET id = ${newId}::uuid WHERE id = ${ebay.id}::uuid`;
    expect((await db.order.findFirstOrThrow()).platformId).toBe(newId);
  });
});
