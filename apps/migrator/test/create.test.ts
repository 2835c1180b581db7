import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dbPackagePaths, runDbPrisma } from "@soleflip/db";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, scratchDatabase } from "@soleflip/postgres/testing";
import { parseStatements } from "@soleflip/sql";
import { afterAll, describe, expect, it } from "vitest";
import { createCommand } from "../src/commands/create.ts";
import { migrate, snapshot } from "./helpers.ts";

async function workspaceCopy(): Promise<{ root: string; migrations: string; schema: string }> {
  const root = await mkdtemp(join(tmpdir(), "sf-create-test-"));
  afterAll(() => rm(root, { recursive: true, force: true }));
  await cp(join(dbPackagePaths.root, "prisma"), join(root, "prisma"), { recursive: true });
  await cp(dbPackagePaths.config, join(root, "prisma.config.ts"));
  return { root, migrations: join(root, "prisma", "migrations"), schema: join(root, "prisma", "schema.prisma") };
}

/** Runs a script statement by statement, as psql would (CONCURRENTLY needs it). */
async function runScript(url: string, sql: string): Promise<void> {
  const statements = await parseStatements(sql);
  await withClient(url, async (client) => {
    for (const statement of statements) await client.query(statement.text);
  });
}

describe("create: a schema change becomes an online-safe migration with its down.sql", () => {
  it("writes nothing when the schema and the migrations agree", async () => {
    const { migrations, schema } = await workspaceCopy();
    const result = await createCommand({ name: "nothing", migrationsDir: migrations, schemaPath: schema, lintWithDatabase: false }, { env: { DATABASE_URL: adminDatabaseUrl() }, workspaceRoot: tmpdir() });
    expect(result.status).toBe("no-changes");
    expect((await readdir(migrations)).filter((name) => name.endsWith("_nothing"))).toEqual([]);
  });

  it("rewrites Prisma's SQL (new column, changed foreign key actions, new index) and the result applies, round-trips and matches the schema", async () => {
    const { root, migrations, schema } = await workspaceCopy();
    let model = await readFile(schema, "utf8");
    model = model.replace(/(model Marketplace \{\n)/, '$1  countryCode String? @map("country_code") @db.VarChar(2)\n');
    model = model.replace(/(listing\s+Listing\?\s+@relation\(fields: \[listingId\], references: \[id\], onDelete: )NoAction, onUpdate: NoAction\)/, "$1SetNull, onUpdate: Cascade)");
    model = model.replace(/(  @@index\(\[status\], map: "ix_sales_order_status"\)\n)/, '$1  @@index([soldAt, platformId], map: "ix_sales_order_sold_at_platform")\n');
    await writeFile(schema, model);

    const result = await createCommand(
      { name: "marketplace_country", migrationsDir: migrations, schemaPath: schema, lintWithDatabase: false },
      { env: { DATABASE_URL: adminDatabaseUrl() }, workspaceRoot: tmpdir(), now: new Date("2025-12-01T10:00:00Z") },
    );
    expect(result.status).toBe("created");
    expect(result.directory).toMatch(/20251201100000_marketplace_country$/);
    expect(result.prismaSql).toContain('DROP CONSTRAINT "order_listing_id_fkey"');
    expect(result.upSql).toContain("SET lock_timeout = '100ms';");
    expect(result.upSql).toMatch(/ALTER TABLE "platform"\."marketplace" ADD COLUMN\s+"country_code" VARCHAR\(2\);/);
    expect(result.upSql).toContain("ADD CONSTRAINT order_listing_id_fkey_new FOREIGN KEY (listing_id) REFERENCES sales.listing (id) ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;");
    expect(result.upSql).toContain("VALIDATE CONSTRAINT order_listing_id_fkey_new;");
    expect(result.upSql).toContain("ALTER TABLE sales.\"order\" DROP CONSTRAINT order_listing_id_fkey;\nALTER TABLE sales.\"order\" RENAME CONSTRAINT order_listing_id_fkey_new TO order_listing_id_fkey;");
    expect(result.upSql).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_sales_order_sold_at_platform ON sales."order" (sold_at, platform_id);');
    expect(result.downSql).toContain("ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID;");
    expect(result.downSql).toContain("DROP INDEX");
    // squawk's finding on the new VARCHAR(2) column is reported, and makes the exit code "findings"
    expect(result.findings.map((finding) => `${finding.source}/${finding.rule}:${finding.line}`)).toEqual(["squawk/prefer-text-field:6"]);
    expect(result.exitCode).toBe(2);

    // applies with the runner; the database then matches the new schema exactly (Prisma's own diff)
    const db = await scratchDatabase("sf_create_apply");
    expect((await migrate(db.url, { migrationsDir: migrations })).outcome).toBe("applied");
    const diff = await runDbPrisma(["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"], db.url, { cwd: root });
    expect(diff.stdout).toContain("No difference detected.");

    // down.sql returns to the previous structure
    const previous = await scratchDatabase("sf_create_previous");
    await migrate(previous.url);
    await runScript(db.url, result.downSql ?? "");
    const after = (await snapshot(db.url)).filter((row) => !row.name.startsWith("public."));
    expect(after).toEqual(await snapshot(previous.url));
  });
});
