import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runDbPrisma } from "@soleflip/db";
import { legacyDatabase, migratedDatabase, tableFingerprints } from "@soleflip/db/testing";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { historyRows, legacyRows, migrate, migrationsCopy, operation, query, snapshot } from "./helpers.ts";

describe("pnpm db:migrate brings any SoleFlip database to head", () => {
  it("migrates an empty database to exactly what prisma migrate deploy builds, and a second run changes nothing", async () => {
    const [ours, prismas] = await Promise.all([scratchDatabase("sf_mig_empty"), migratedDatabase("sf_mig_prisma")]);
    const first = await migrate(ours.url);
    expect(first.outcome).toBe("applied");
    expect(first.migrations.map((m) => [m.name.slice(15), m.status])).toEqual([
      ["baseline", "applied"],
      ["fix_foreign_keys_and_nullability", "applied"],
      ["enrichment_partial_indexes", "applied"],
    ]);
    expect(await snapshot(ours.url)).toEqual(await snapshot(prismas));

    const structure = await snapshot(ours.url);
    const history = await historyRows(ours.url);
    const second = await migrate(ours.url);
    expect(second.outcome).toBe("up-to-date");
    expect(second.migrations.every((m) => m.status === "already-applied")).toBe(true);
    expect(await snapshot(ours.url)).toEqual(structure);
    expect(await historyRows(ours.url)).toEqual(history);
  });

  it("records history that prisma migrate status agrees with", async () => {
    const db = await scratchDatabase("sf_mig_status");
    await migrate(db.url);
    const status = await runDbPrisma(["migrate", "status"], db.url);
    expect(status.stdout).toContain("Database schema is up to date!");
    expect(status.exitCode).toBe(0);
    const deploy = await runDbPrisma(["migrate", "deploy"], db.url);
    expect(deploy.stdout).toContain("No pending migrations to apply.");
  });

  it("adopts a production database still at the baseline, applies the fix, and loses no row", async () => {
    const url = await legacyDatabase("sf_mig_adopt", legacyRows);
    const before = await tableFingerprints(url);
    const log = await migrate(url);
    expect(log.outcome).toBe("applied");
    expect(log.adoptedBaseline).toBe("20251117000000_baseline");
    expect(log.migrations[0]).toMatchObject({ status: "adopted" });

    expect(await tableFingerprints(url)).toEqual(before);
    expect(await snapshot(url)).toEqual(await snapshot(await migratedDatabase("sf_mig_adopt_ref")));
    // the repair filled the one NULL platform_id of a StockX order, and said so
    const repair = operation(log, "fix_foreign_keys_and_nullability", "repair:backfill-order-platform-stockx");
    expect(repair?.outcome).toBe("repaired");
    expect(repair?.steps[0]?.rowsAffected).toBe(1);
    expect(await query(url, `SELECT platform_id FROM sales."order" WHERE id = '00000000-0000-0000-0000-000000000403'`)).toEqual([
      { platform_id: "00000000-0000-0000-0000-0000000000a1" },
    ]);
    // the five keys were replaced by definition although their names already existed
    for (const name of ["order_inventory_item_id_fkey", "stock_product_id_fkey", "stock_size_id_fkey", "stock_supplier_id_fkey"]) {
      const op = log.migrations[1]?.operations.find((o) => o.operationId.endsWith(`.${name}`));
      expect(op?.outcome).toBe("applied");
      expect(op?.found).toContain(`found ${name} (ON DELETE NO ACTION`);
    }
    const status = await runDbPrisma(["migrate", "status"], url);
    expect(status.stdout).toContain("Database schema is up to date!");
  });

  it("refuses to adopt a database whose structure differs from the baseline, prints the difference, changes nothing", async () => {
    const url = await legacyDatabase("sf_mig_differs", legacyRows, "ALTER TABLE catalog.brand ADD COLUMN logo_url text; DROP INDEX catalog.idx_variant_condition;");
    const before = { structure: await snapshot(url), rows: await tableFingerprints(url) };
    const log = await migrate(url);
    expect(log.outcome).toBe("structure-differs");
    expect(log.structuralDifferences).toEqual([
      { kind: "column", name: "catalog.brand.logo_url", expected: undefined, actual: "text NULL" },
      {
        kind: "index",
        name: "catalog.idx_variant_condition",
        expected: "CREATE INDEX idx_variant_condition ON catalog.product_variant USING btree (condition)",
        actual: undefined,
      },
    ]);
    expect(await snapshot(url)).toEqual(before.structure);
    expect(await tableFingerprints(url)).toEqual(before.rows);
    expect(await query(url, "SELECT to_regclass('public._prisma_migrations') AS t")).toEqual([{ t: null }]);
  });

  it("--dry-run prints the plan and the pre-flight results and changes nothing", async () => {
    const url = await legacyDatabase("sf_mig_dry", legacyRows);
    const before = await snapshot(url);
    const log = await migrate(url, { dryRun: true });
    expect(log.outcome).toBe("dry-run");
    expect(log.preflight.map((r) => [r.check, r.table, r.passed])).toContainEqual(["nulls", "sales.order", true]);
    const planned = operation(log, "fix_foreign_keys_and_nullability", "ensure-foreign-key:inventory.stock.stock_size_id_fkey");
    expect(planned?.outcome).toBe("planned");
    expect(planned?.steps.map((s) => [s.lock, s.status])).toEqual([
      ["SHARE ROW EXCLUSIVE", "planned"],
      ["SHARE UPDATE EXCLUSIVE", "planned"],
      ["ACCESS EXCLUSIVE", "planned"],
    ]);
    expect(await snapshot(url)).toEqual(before);
    expect(await query(url, "SELECT to_regclass('public._prisma_migrations') AS t")).toEqual([{ t: null }]);
  });

  it("--dry-run shows a key that a migration drops, changes the table, and adds back as planned; migrate puts it back", async () => {
    const db = await scratchDatabase("sf_mig_readd");
    const dir = await migrationsCopy();
    await migrate(db.url, { migrationsDir: dir });
    const name = "29990101000000_readd_key";
    await mkdir(join(dir, name));
    await writeFile(
      join(dir, name, "migration.sql"),
      `ALTER TABLE inventory.stock DROP CONSTRAINT stock_size_id_fkey;
ALTER TABLE inventory.stock ADD COLUMN note text;
ALTER TABLE inventory.stock ADD CONSTRAINT stock_size_id_fkey FOREIGN KEY (size_id) REFERENCES catalog.sizes (id) ON DELETE RESTRICT ON UPDATE CASCADE;
`,
    );
    const dry = await migrate(db.url, { migrationsDir: dir, dryRun: true });
    const readd = operation(dry, "readd_key", "ensure-foreign-key:inventory.stock.stock_size_id_fkey");
    expect(readd?.outcome).toBe("planned");
    expect(readd?.found).toContain("planned again when reached");

    const applied = await migrate(db.url, { migrationsDir: dir });
    expect(applied.outcome).toBe("applied");
    expect(operation(applied, "readd_key", "ensure-foreign-key:inventory.stock.stock_size_id_fkey")?.outcome).toBe("applied");
    expect(await query(db.url, "SELECT convalidated FROM pg_constraint WHERE conname = 'stock_size_id_fkey'")).toEqual([{ convalidated: true }]);
  });
});
