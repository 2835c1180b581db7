import { soleflipProject } from "@soleflip/db/paths";
import { legacyDatabase, migratedDatabase } from "@soleflip/db/testing";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { CHECKS } from "./checks/index.ts";
import { verifyDatabase } from "./verify.ts";

const verify = (url: string) =>
  verifyDatabase({ databaseUrl: url, scratchAdminUrl: adminDatabaseUrl(), project: soleflipProject });

const failing = (result: Awaited<ReturnType<typeof verify>>) =>
  Object.fromEntries(result.checks.filter((c) => c.status === "fail").map((c) => [c.id, c.findings.map((f) => f.subject)]));

describe("verifyDatabase", () => {
  it("check ids are unique", () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it("passes every check on a correctly migrated database", async () => {
    const result = await verify(await migratedDatabase("sf_verify_ok"));
    expect(failing(result)).toEqual({});
    expect(result.status).toBe("pass");
    // 36 foreign keys in the pre-fix dump, plus order -> marketplace
    expect(result.checks.find((c) => c.id === "foreign-keys-match")?.compared).toBe(37);
    expect(result.checks.find((c) => c.id === "indexes-match")?.compared).toBeGreaterThanOrEqual(30);
  });

  it("fails each check when it should, naming the object", async () => {
    const url = await migratedDatabase("sf_verify_broken");
    await withClient(url, (client) =>
      client.query(`
        ALTER TABLE inventory.stock DROP CONSTRAINT stock_product_id_fkey,
          ADD CONSTRAINT stock_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE CASCADE ON UPDATE CASCADE;
        ALTER TABLE inventory.stock DROP CONSTRAINT stock_size_id_fkey,
          ADD CONSTRAINT stock_size_id_fkey FOREIGN KEY (size_id) REFERENCES catalog.sizes (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
        DROP INDEX catalog.idx_product_release_date_null;
        CREATE INDEX idx_product_release_date_null ON catalog.product (id) WHERE release_date IS NOT NULL;
        UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'catalog.idx_product_description_null'::regclass;
        ALTER TABLE sales."order" ALTER COLUMN platform_id DROP NOT NULL;
        ALTER TABLE analytics.marketplace_data DROP CONSTRAINT chk_fees_range;
        ALTER TABLE sales.listing DROP CONSTRAINT listing_inventory_item_id_fkey;
        INSERT INTO sales.listing (id, inventory_item_id, stockx_listing_id, status) VALUES (gen_random_uuid(), gen_random_uuid(), 'orphan', 'ACTIVE');
        UPDATE _prisma_migrations SET checksum = 'edited' WHERE migration_name LIKE '%_baseline';
      `),
    );
    const result = await verify(url);
    expect(result.status).toBe("fail");
    expect(failing(result)).toEqual({
      "columns-match": ["sales.order.platform_id"],
      "foreign-keys-match": expect.any(Array),
      "check-constraints-match": ["analytics.marketplace_data.chk_fees_range"],
      "indexes-match": expect.any(Array),
      "no-orphan-rows": ["sales.listing.listing_inventory_item_id_fkey"],
      "migration-history": ["20251117000000_baseline"],
      "no-drift": ["database → schema"],
    });
    const fks = result.checks.find((c) => c.id === "foreign-keys-match");
    expect(fks?.findings.map((f) => f.subject).sort()).toEqual([
      "inventory.stock.stock_product_id_fkey",
      "inventory.stock.stock_size_id_fkey",
      "sales.listing.listing_inventory_item_id_fkey",
    ]);
    expect(fks?.findings.find((f) => f.subject.endsWith("stock_size_id_fkey"))?.actual).toContain("NOT VALID");
    expect(fks?.findings.find((f) => f.subject.endsWith("stock_product_id_fkey"))?.actual).toContain("ON DELETE CASCADE");
    const indexes = result.checks.find((c) => c.id === "indexes-match");
    expect(indexes?.findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([expect.stringContaining("idx_product_description_null is INVALID"), expect.stringContaining("catalog.idx_product_release_date_null has another definition")]),
    );
  });

  it("counts orphan rows per foreign key and reports a pending migration", async () => {
    const url = await legacyDatabase("sf_verify_orphans", `
      ALTER TABLE inventory.stock DROP CONSTRAINT stock_size_id_fkey;
      INSERT INTO catalog.category (id, name, slug) VALUES ('00000000-0000-0000-0000-0000000000c1', 'S', 's');
      INSERT INTO catalog.product (id, sku, category_id, name) VALUES ('00000000-0000-0000-0000-000000000101', 'X', '00000000-0000-0000-0000-0000000000c1', 'X');
      INSERT INTO inventory.stock (id, product_id, size_id, quantity, status) VALUES
        (gen_random_uuid(), '00000000-0000-0000-0000-000000000101', gen_random_uuid(), 1, 'in_stock'),
        (gen_random_uuid(), '00000000-0000-0000-0000-000000000101', gen_random_uuid(), 1, 'in_stock');
      ALTER TABLE inventory.stock ADD CONSTRAINT stock_size_id_fkey FOREIGN KEY (size_id) REFERENCES catalog.sizes(id) NOT VALID;`);
    const result = await verify(url);
    const orphans = result.checks.find((c) => c.id === "no-orphan-rows");
    expect(orphans?.findings).toEqual([expect.objectContaining({ subject: "inventory.stock.stock_size_id_fkey", actual: "2" })]);
    expect(result.checks.find((c) => c.id === "migration-history")?.findings).toEqual([
      expect.objectContaining({ subject: "_prisma_migrations", actual: "missing" }),
    ]);
  });

  it("issues the same number of queries however many tables there are", async () => {
    const url = await migratedDatabase("sf_verify_queries");
    const before = await verify(url);
    await withClient(url, (client) =>
      client.query(Array.from({ length: 50 }, (_, i) => `CREATE TABLE catalog.extra_${i} (id uuid PRIMARY KEY, product_id uuid REFERENCES catalog.product (id));`).join("\n")),
    );
    const after = await verify(url);
    expect(after.checks.find((c) => c.id === "tables-match")?.findings).toHaveLength(50);
    expect(after.queriesIssued).toBe(before.queriesIssued);
    expect(before.queriesIssued).toBeLessThan(20);
  });

  it("refuses a database that holds none of the model's tables: nothing compared, the reason named", async () => {
    const db = await scratchDatabase("sf_verify_empty");
    const result = await verify(db.url);
    expect(result.status).toBe("fail");
    expect(result.checks).toEqual([]);
    expect(result.refusal).toMatchObject({ code: "verifier.not-this-project", summary: expect.stringContaining("none of the model's 24 tables") });
  });

  it("says how many columns it compared when tables are missing, and never more differences than objects", async () => {
    const url = await migratedDatabase("sf_verify_missing_tables");
    await withClient(url, (client) => client.query("DROP TABLE analytics.demand_patterns; CREATE TABLE catalog.unrelated (id int)"));
    const result = await verify(url);
    const columns = result.checks.find((c) => c.id === "columns-match");
    expect(columns?.status).toBe("pass");
    expect(columns?.summary).toMatch(/^All \d+ compared columns match the model\. \d+ column\(s\) of missing tables were not compared/);
    const tables = result.checks.find((c) => c.id === "tables-match");
    expect(tables?.summary).toBe("1 of the model's 24 tables are missing or differ; 1 tables in the database are not in the model.");
  });

  it("rejects an unknown check id before doing anything", async () => {
    await expect(verifyDatabase({ databaseUrl: "postgresql://u@127.0.0.1:1/x", scratchAdminUrl: adminDatabaseUrl(), project: soleflipProject, only: ["columns-mtach"] })).rejects.toMatchObject({
      code: "verifier.unknown-check",
      fix: expect.stringContaining("columns-match"),
    });
  });
});
