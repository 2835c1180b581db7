import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withClient } from "@soleflip/postgres";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { afterAll, describe, expect, it } from "vitest";
import { dbPackagePaths } from "../src/paths.ts";
import { runDbPrisma } from "../src/prisma.ts";
import { migratedDatabase, projectCopy } from "../src/testing.ts";

describe("migrations, schema and database agree", () => {
  it("migrate diff from the migrations to the schema reports no difference", async () => {
    const shadowHost = await scratchDatabase("sf_drift_shadowhost");
    const run = await runDbPrisma(
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"],
      shadowHost.url,
    );
    expect(run.stdout).toContain("No difference detected.");
    expect(run.exitCode).toBe(0);
  });

  it("migrate diff from a migrated database to the schema reports no difference, and exit code 2 on drift", async () => {
    const url = await migratedDatabase("sf_drift_db");
    const clean = await runDbPrisma(["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"], url);
    expect(clean.stdout).toContain("No difference detected.");
    expect(clean.exitCode).toBe(0);

    await withClient(url, (client) => client.query('ALTER TABLE sales."order" ALTER COLUMN platform_id DROP NOT NULL'));
    const drifted = await runDbPrisma(["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"], url);
    expect(drifted.exitCode).toBe(2);
    expect(drifted.stdout).toMatch(/platform_id/);
  });

  it("migrate status agrees with what was applied", async () => {
    const url = await migratedDatabase("sf_drift_status");
    const run = await runDbPrisma(["migrate", "status"], url);
    expect(run.stdout).toContain("3 migrations found in prisma/migrations");
    expect(run.stdout).toContain("Database schema is up to date!");
    expect(run.exitCode).toBe(0);
  });

  it("migrate resolve marks a failed migration rolled back, as Prisma's recovery flow expects", async () => {
    const url = await migratedDatabase("sf_drift_resolve");
    await withClient(url, (client) =>
      client.query("UPDATE _prisma_migrations SET finished_at = NULL, logs = 'interrupted' WHERE migration_name LIKE '%_enrichment_partial_indexes'"),
    );
    const failing = await runDbPrisma(["migrate", "status"], url);
    expect(failing.exitCode).not.toBe(0);
    expect(failing.stdout + failing.stderr).toContain("20251117000200_enrichment_partial_indexes");
    const resolved = await runDbPrisma(["migrate", "resolve", "--rolled-back", "20251117000200_enrichment_partial_indexes"], url);
    expect(resolved.exitCode, resolved.stdout + resolved.stderr).toBe(0);
    const deploy = await runDbPrisma(["migrate", "deploy"], url);
    expect(deploy.exitCode, deploy.stdout + deploy.stderr).toBe(0);
    const status = await runDbPrisma(["migrate", "status"], url);
    expect(status.stdout).toContain("Database schema is up to date!");
  });

  describe("a later prisma migrate dev", () => {
    const dirs: string[] = [];
    afterAll(async () => {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    });

    it("creates a migration for a schema change and leaves the hand-written partial indexes alone", async () => {
      const url = await migratedDatabase("sf_drift_dev");
      const workdir = (await projectCopy("sf-migrate-dev-")).root;
      const schemaPath = join(workdir, "prisma", "schema.prisma");
      const schema = await readFile(schemaPath, "utf8");
      await writeFile(
        schemaPath,
        schema.replace(/(model Marketplace \{\n)/, '$1  countryCode String? @map("country_code") @db.VarChar(2)\n'),
      );

      const run = await runDbPrisma(["migrate", "dev", "--name", "add_marketplace_country"], url, { cwd: workdir });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);

      const created = (await readdir(join(workdir, "prisma", "migrations"))).find((name) => name.endsWith("_add_marketplace_country"));
      expect(created).toBeDefined();
      const sql = await readFile(join(workdir, "prisma", "migrations", created ?? "", "migration.sql"), "utf8");
      expect(sql).toContain('ADD COLUMN     "country_code" VARCHAR(2)');
      expect(sql).not.toMatch(/idx_product_|idx_brand_history_collaboration|chk_/);

      const indexes = await withClient(url, async (client) =>
        (await client.query<{ name: string; valid: boolean }>(
          `SELECT indexrelid::regclass::text AS name, indisvalid AS valid FROM pg_index
           WHERE indexrelid::regclass::text LIKE 'catalog.idx_product_%null' OR indexrelid::regclass::text = 'catalog.idx_product_enrichment_status'
           ORDER BY 1`,
        )).rows,
      );
      expect(indexes).toEqual([
        { name: "catalog.idx_product_description_null", valid: true },
        { name: "catalog.idx_product_enrichment_status", valid: true },
        { name: "catalog.idx_product_release_date_null", valid: true },
        { name: "catalog.idx_product_retail_price_null", valid: true },
      ]);
    });
  });
});
