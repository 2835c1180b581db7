import { withClient } from "@soleflip/postgres";
import { describe, expect, it } from "vitest";
import { catalogSnapshot, legacyDatabase, migratedDatabase } from "../src/testing.ts";

const documentedFix = new URL("./fixtures/documented-fix.sql", import.meta.url);

describe("migrating an empty database to the model", () => {
  it("gives exactly the documented after-fix structure: same objects, same definitions", async () => {
    const [migrated, documented] = await Promise.all([
      migratedDatabase("sf_struct_migrated"),
      legacyDatabase("sf_struct_documented", documentedFix),
    ]);
    const [actual, expected] = await Promise.all([catalogSnapshot(migrated), catalogSnapshot(documented)]);
    expect(actual.length).toBeGreaterThan(400);
    expect(actual).toEqual(expected);
  });

  it("has the six schemas with 24 tables and the fixed foreign keys, nullability and indexes", async () => {
    const url = await migratedDatabase("sf_struct_details");
    const rows = await catalogSnapshot(url);
    const byKind = (kind: string) => rows.filter((row) => row.kind === kind);

    expect(byKind("schema").map((row) => row.name)).toEqual([
      "analytics", "catalog", "inventory", "platform", "sales", "supplier",
    ]);
    const tablesPerSchema = Object.fromEntries(
      ["analytics", "catalog", "inventory", "platform", "sales", "supplier"].map((schema) => [
        schema,
        byKind("table").filter((row) => row.name.startsWith(`${schema}.`)).length,
      ]),
    );
    expect(tablesPerSchema).toEqual({ analytics: 5, catalog: 9, inventory: 5, platform: 1, sales: 3, supplier: 1 });

    const foreignKeys = await withClient(url, async (client) =>
      (
        await client.query<{ name: string; columns: string; target: string; on_delete: string; on_update: string; validated: boolean }>(`
          SELECT con.conname AS name,
                 (SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = con.conrelid AND attnum = ANY (con.conkey)) AS columns,
                 con.confrelid::regclass::text AS target,
                 con.confdeltype AS on_delete, con.confupdtype AS on_update, con.convalidated AS validated
          FROM pg_constraint con WHERE con.contype = 'f' AND con.conrelid = ANY ('{sales.order,inventory.stock}'::regclass[])
          ORDER BY 1`)
      ).rows,
    );
    expect(foreignKeys).toEqual([
      { name: "order_inventory_item_id_fkey", columns: "inventory_item_id", target: "inventory.stock", on_delete: "r", on_update: "c", validated: true },
      { name: "order_listing_id_fkey", columns: "listing_id", target: "sales.listing", on_delete: "a", on_update: "a", validated: true },
      { name: "order_platform_id_fkey", columns: "platform_id", target: "platform.marketplace", on_delete: "r", on_update: "c", validated: true },
      { name: "stock_product_id_fkey", columns: "product_id", target: "catalog.product", on_delete: "r", on_update: "c", validated: true },
      { name: "stock_size_id_fkey", columns: "size_id", target: "catalog.sizes", on_delete: "r", on_update: "c", validated: true },
      { name: "stock_supplier_id_fkey", columns: "supplier_id", target: "supplier.profile", on_delete: "r", on_update: "c", validated: true },
    ]);

    const column = (name: string) => byKind("column").find((row) => row.name === name)?.definition;
    expect(column("sales.order.platform_id")).toBe("uuid NOT NULL");
    expect(column("sales.order.stockx_order_number")).toBe("character varying(100) NULL");

    const index = (name: string) => byKind("index").find((row) => row.name === name)?.definition;
    expect(index("catalog.idx_product_enrichment_status")).toBe(
      "CREATE INDEX idx_product_enrichment_status ON catalog.product USING btree (id, description, retail_price, release_date) WHERE ((description IS NULL) OR (retail_price IS NULL) OR (release_date IS NULL))",
    );
    expect(index("catalog.idx_product_description_null")).toBe(
      "CREATE INDEX idx_product_description_null ON catalog.product USING btree (id) WHERE (description IS NULL)",
    );
    expect(index("sales.ix_sales_order_stockx_order_number")).toBe(
      "CREATE UNIQUE INDEX ix_sales_order_stockx_order_number ON sales.\"order\" USING btree (stockx_order_number)",
    );
    // every other foreign key keeps production's definition: CASCADE / SET NULL where the dump says so
    const constraint = (name: string) => byKind("constraint").find((row) => row.name === name)?.definition;
    expect(constraint("catalog.brand_history.brand_history_related_brand_id_fkey")).toBe(
      "FOREIGN KEY (related_brand_id) REFERENCES catalog.brand(id) ON DELETE SET NULL",
    );
    expect(constraint("inventory.stock_metrics.stock_metrics_stock_id_fkey")).toBe(
      "FOREIGN KEY (stock_id) REFERENCES inventory.stock(id) ON DELETE CASCADE",
    );
    expect(constraint("analytics.marketplace_data.chk_fees_range")).toMatch(/^CHECK \(/);
  });
});
