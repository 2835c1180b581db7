import { fixByHand, legacyDatabase, migratedDatabase, tableFingerprints } from "@soleflip/db/testing";
import { describe, expect, it } from "vitest";
import { legacyRows, migrate, operation, query, snapshot } from "./helpers.ts";

/** Fixes applied by hand, half-applied runs: the runner decides by definition, never by name. */
describe("a database anywhere between before and after", () => {
  it("finishes what hand fixes and an interrupted run left, and reaches exactly the head structure", async () => {
    const url = await legacyDatabase(
      "sf_partial_mixed",
      legacyRows,
      `
      -- order -> stock already has the right actions, but was added NOT VALID
      ALTER TABLE sales."order" DROP CONSTRAINT order_inventory_item_id_fkey;
      ALTER TABLE sales."order" ADD CONSTRAINT order_inventory_item_id_fkey FOREIGN KEY (inventory_item_id)
        REFERENCES inventory.stock (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
      -- stock -> product: an interrupted swap left the new key beside the old one
      ALTER TABLE inventory.stock ADD CONSTRAINT stock_product_id_fkey_new FOREIGN KEY (product_id)
        REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
      -- stock -> supplier: fixed by hand under another name, the old key dropped
      ALTER TABLE inventory.stock DROP CONSTRAINT stock_supplier_id_fkey;
      ALTER TABLE inventory.stock ADD CONSTRAINT fk_stock_supplier FOREIGN KEY (supplier_id)
        REFERENCES supplier.profile (id) ON DELETE RESTRICT ON UPDATE CASCADE;
      -- a column already nullable, and the platform CHECK half-done
      ALTER TABLE sales."order" ALTER COLUMN stockx_order_number DROP NOT NULL;
      UPDATE sales."order" SET platform_id = '00000000-0000-0000-0000-0000000000a1' WHERE platform_id IS NULL;
      ALTER TABLE sales."order" ADD CONSTRAINT order_platform_id_not_null_check CHECK (platform_id IS NOT NULL) NOT VALID;
      -- one partial index built already, one under another name, one left INVALID by an interrupted build
      CREATE INDEX idx_product_description_null ON catalog.product (id) WHERE description IS NULL;
      CREATE INDEX enrichment_idx ON catalog.product (id, description, retail_price, release_date)
        WHERE description IS NULL OR retail_price IS NULL OR release_date IS NULL;
      CREATE INDEX idx_product_release_date_null ON catalog.product (id) WHERE release_date IS NULL;
      UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'catalog.idx_product_release_date_null'::regclass;
      `,
    );
    const rowsBefore = await tableFingerprints(url);
    const log = await migrate(url);
    expect(log.structuralDifferences).toEqual([]);
    expect(log.outcome).toBe("applied");
    expect(log.adoptedBaseline).toBe("20251117000000_baseline");

    const fix = "fix_foreign_keys_and_nullability";
    expect(operation(log, fix, "ensure-foreign-key:sales.order.order_inventory_item_id_fkey")).toMatchObject({
      found: "found order_inventory_item_id_fkey (ON DELETE RESTRICT, ON UPDATE CASCADE, NOT VALID)",
      steps: [{ description: expect.stringContaining("validate order_inventory_item_id_fkey") }],
    });
    expect(operation(log, fix, "ensure-foreign-key:inventory.stock.stock_product_id_fkey")?.steps.map((s) => s.description)).toEqual([
      expect.stringContaining("validate stock_product_id_fkey_new"),
      "swap in stock_product_id_fkey, dropping stock_product_id_fkey",
    ]);
    expect(operation(log, fix, "ensure-foreign-key:inventory.stock.stock_supplier_id_fkey")?.steps[0]?.sql).toEqual([
      "ALTER TABLE inventory.stock RENAME CONSTRAINT fk_stock_supplier TO stock_supplier_id_fkey",
    ]);
    expect(operation(log, fix, "ensure-nullable:sales.order.stockx_order_number")?.outcome).toBe("already-present");
    expect(operation(log, fix, "ensure-not-null:sales.order.platform_id")?.steps.map((s) => s.description)).toEqual([
      expect.stringContaining("validate order_platform_id_not_null_check"),
      expect.stringContaining("SET NOT NULL"),
    ]);
    const indexes = "enrichment_partial_indexes";
    expect(operation(log, indexes, "ensure-index:catalog.idx_product_description_null")?.outcome).toBe("already-present");
    expect(operation(log, indexes, "ensure-index:catalog.idx_product_enrichment_status")?.found).toBe("the same index exists as enrichment_idx");
    expect(operation(log, indexes, "ensure-index:catalog.idx_product_release_date_null")?.found).toContain("INVALID");

    expect(await snapshot(url)).toEqual(await snapshot(await migratedDatabase("sf_partial_ref")));
    expect(await tableFingerprints(url)).toEqual(rowsBefore);
  });

  it("leaves a database that already has the whole fix by hand as it is, recording the history", async () => {
    const url = await legacyDatabase("sf_partial_done", legacyRows, fixByHand);
    const before = await snapshot(url);
    expect(before).toEqual(await snapshot(await migratedDatabase("sf_partial_done_ref")));
    const log = await migrate(url);
    expect(log.outcome).toBe("applied");
    const touched = log.migrations
      .flatMap((m) => m.operations)
      .filter((op) => op.outcome !== "already-present" && op.kind !== "session-setting" && op.kind !== "repair");
    expect(touched).toEqual([]);
    expect(await snapshot(url)).toEqual(before);
    expect((await migrate(url)).outcome).toBe("up-to-date");
  });
});
