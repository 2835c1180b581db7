import { legacyDatabase, tableFingerprints } from "@soleflip/db/testing";
import { describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import { historyRows, legacyRows, migrate, migrationsCopy, query, snapshot } from "./helpers.ts";

async function unchanged(url: string) {
  return { structure: await snapshot(url), rows: await tableFingerprints(url) };
}

describe("pre-flight checks stop the run before any change", () => {
  it("names orphan rows before a foreign key is validated: table, column, count, sample keys", async () => {
    // stock_size_id_fkey was added NOT VALID in production: rows from before it may point at no size
    const url = await legacyDatabase(
      "sf_pre_orphans",
      legacyRows,
      `ALTER TABLE inventory.stock DROP CONSTRAINT stock_size_id_fkey;
       INSERT INTO inventory.stock (id, product_id, size_id, quantity, status) VALUES
        ('00000000-0000-0000-0000-000000000291', '00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-0000000000ff', 1, 'in_stock'),
        ('00000000-0000-0000-0000-000000000292', '00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-0000000000fe', 1, 'in_stock');
       ALTER TABLE inventory.stock ADD CONSTRAINT stock_size_id_fkey FOREIGN KEY (size_id) REFERENCES catalog.sizes(id) NOT VALID;`,
    );
    const before = await unchanged(url);
    const log = await migrate(url);
    expect(log.outcome).toBe("preflight-failed");
    const failed = log.preflight.filter((result) => !result.passed);
    expect(failed).toEqual([
      expect.objectContaining({
        check: "orphans",
        table: "inventory.stock",
        columns: ["size_id"],
        count: 2,
        sampleKeys: ["00000000-0000-0000-0000-000000000291", "00000000-0000-0000-0000-000000000292"],
      }),
    ]);
    expect(failed[0]?.message).toContain("2 rows of inventory.stock have size_id pointing at no catalog.sizes row");
    expect(await unchanged(url)).toEqual(before);
    expect(await query(url, "SELECT to_regclass('public._prisma_migrations') AS t")).toEqual([{ t: null }]);
  });

  it("fills a NULL platform_id only where a StockX number proves it, and stops on an order with neither", async () => {
    const url = await legacyDatabase(
      "sf_pre_nulls",
      legacyRows,
      `ALTER TABLE sales."order" ALTER COLUMN stockx_order_number DROP NOT NULL;
       INSERT INTO sales."order" (id, inventory_item_id, stockx_order_number, status, platform_id) VALUES
         ('00000000-0000-0000-0000-000000000499', '00000000-0000-0000-0000-000000000203', NULL, 'pending', NULL);`,
    );
    const before = await unchanged(url);
    const log = await migrate(url);
    expect(log.outcome).toBe("preflight-failed");
    const nulls = log.preflight.find((result) => result.check === "nulls");
    expect(nulls).toMatchObject({
      passed: false,
      table: "sales.order",
      columns: ["platform_id"],
      count: 1,
      sampleKeys: ["00000000-0000-0000-0000-000000000499"],
    });
    // the StockX order with a NULL platform_id is covered by the repair, so only the other one is named
    expect(nulls?.message).toContain("after repair backfill-order-platform-stockx");
    expect(await unchanged(url)).toEqual(before);
  });

  it("repairs the provable rows and reports how many", async () => {
    const url = await legacyDatabase(
      "sf_pre_repair",
      legacyRows,
      `UPDATE sales."order" SET platform_id = NULL;`,
    );
    const log = await migrate(url);
    expect(log.outcome).toBe("applied");
    const repair = log.migrations.flatMap((m) => m.operations).find((op) => op.kind === "repair");
    expect(repair?.steps[0]?.rowsAffected).toBe(3);
    expect(await query(url, `SELECT count(*)::int AS n FROM sales."order" o JOIN platform.marketplace m ON m.id = o.platform_id WHERE m.slug = 'stockx'`)).toEqual([{ n: 3 }]);
    expect((await historyRows(url)).map((row) => row.finished)).toEqual([true, true, true]);
  });

  it("names duplicates before a unique index is built", async () => {
    const url = await legacyDatabase("sf_pre_dupes", legacyRows);
    const migrations = await migrationsCopy();
    await mkdir(`${migrations}/20251201000000_unique_order_external_id`);
    await writeFile(
      `${migrations}/20251201000000_unique_order_external_id/migration.sql`,
      `CREATE UNIQUE INDEX ix_sales_order_external_id_unique ON sales."order" (external_id);\n`,
    );
    await query(url, `UPDATE sales."order" SET external_id = 'EXT-1'`);
    const log = await migrate(url, { migrationsDir: migrations });
    expect(log.outcome).toBe("preflight-failed");
    expect(log.preflight.find((result) => !result.passed)).toMatchObject({ check: "duplicates", count: 1, sampleKeys: ["EXT-1"] });
  });
});
