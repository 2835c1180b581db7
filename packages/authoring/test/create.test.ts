import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { soleflipProject } from "@soleflip/db/paths";
import { catalogSnapshot } from "@soleflip/db/testing";
import { readLocalMigrations } from "@soleflip/history";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, afterFile, scratchDatabase } from "@soleflip/postgres/testing";
import { readSchemaFiles, type PrismaProject } from "@soleflip/project";
import { prismaDiff } from "@soleflip/schema-engine";
import { runMigrations } from "@soleflip/runner";
import { parseStatements } from "@soleflip/sql";
import { describe, expect, it } from "vitest";
import { createMigration } from "../src/create.ts";
import { historyTemplate } from "../src/history-template.ts";

const snapshot = catalogSnapshot;
const migrate = (url: string, options: { migrationsDir?: string } = {}) =>
  runMigrations({ databaseUrl: url, migrationsDir: options.migrationsDir ?? soleflipProject.migrationsDir, scratchServer: async () => ({ adminUrl: adminDatabaseUrl() }) });

/** A copy of SoleFlip's project (prisma/ and a plain prisma.config.ts) to edit. */
async function workspaceCopy(): Promise<{ root: string; migrations: string; schema: string; project: PrismaProject }> {
  const root = await mkdtemp(join(tmpdir(), "sf-create-test-"));
  afterFile(() => rm(root, { recursive: true, force: true }));
  await cp(join(soleflipProject.root, "prisma"), join(root, "prisma"), { recursive: true });
  await writeFile(join(root, "prisma.config.ts"), 'import { defineConfig } from "prisma/config";\nexport default defineConfig({ schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, datasource: { url: process.env["DATABASE_URL"] ?? "" } });\n');
  const project: PrismaProject = { root, configPath: join(root, "prisma.config.ts"), schemaPath: join(root, "prisma", "schema.prisma"), migrationsDir: join(root, "prisma", "migrations"), queriesDir: join(root, "prisma", "queries"), seedPath: join(root, "prisma", "demo", "seed.sql") };
  return { root, migrations: project.migrationsDir, schema: project.schemaPath, project };
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
    const { migrations, project } = await workspaceCopy();
    const result = await createMigration({ project, name: "nothing", scratchAdminUrl: adminDatabaseUrl() });
    expect(result.status).toBe("no-changes");
    expect((await readdir(migrations)).filter((name) => name.endsWith("_nothing"))).toEqual([]);
  });

  it("leaves a ready copy of the history's template for the next run, which takes it and leaves another; no copy of its own stays", async () => {
    const { project } = await workspaceCopy();
    // This history's spare only: other test files make spares of their own histories on the same server meanwhile.
    const template = await historyTemplate(adminDatabaseUrl(), project.migrationsDir, await readLocalMigrations(project.migrationsDir));
    const spareName = `sf_spare_history_${template.name.slice("sf_cache_history_".length)}`;
    const spares = () =>
      withClient(adminDatabaseUrl(), async (client) =>
        (await client.query<{ oid: number; mark: string | null }>("SELECT oid::int AS oid, shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1", [spareName])).rows,
      );
    // This process's copies only (their mark names the process that made or took them): other test files' creates run meanwhile.
    const copies = () =>
      withClient(adminDatabaseUrl(), async (client) =>
        (await client.query<{ mark: string | null }>("SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE starts_with(datname, 'sf_migrator_create_')")).rows.filter((row) => row.mark?.startsWith("soleflip-toolkit ") && (JSON.parse(row.mark.slice("soleflip-toolkit ".length)) as { pid?: number }).pid === process.pid).length,
      );
    await createMigration({ project, name: "first", scratchAdminUrl: adminDatabaseUrl() });
    const [left] = await spares();
    expect(left?.mark).toMatch(/^soleflip-toolkit /);
    await createMigration({ project, name: "second", scratchAdminUrl: adminDatabaseUrl() });
    const after = await spares();
    expect(after).toHaveLength(1);
    expect(after[0]?.oid).not.toBe(left?.oid);
    expect(await copies()).toBe(0);
  });

  it("rewrites Prisma's SQL (new column, changed foreign key actions, new index) and the result applies, round-trips and matches the schema", async () => {
    const { root, migrations, schema, project } = await workspaceCopy();
    let model = await readFile(schema, "utf8");
    model = model.replace(/(model Marketplace \{\n)/, '$1  countryCode String? @map("country_code") @db.VarChar(2)\n');
    model = model.replace(/(listing\s+Listing\?\s+@relation\(fields: \[listingId\], references: \[id\], onDelete: )NoAction, onUpdate: NoAction\)/, "$1SetNull, onUpdate: Cascade)");
    model = model.replace(/(  @@index\(\[status\], map: "ix_sales_order_status"\)\n)/, '$1  @@index([soldAt, platformId], map: "ix_sales_order_sold_at_platform")\n');
    await writeFile(schema, model);

    const result = await createMigration({ project, name: "marketplace_country", scratchAdminUrl: adminDatabaseUrl(), now: new Date("2025-12-01T10:00:00Z") });
    expect(result.status).toBe("created");
    expect(result.directory).toMatch(/20251201100000_marketplace_country$/);
    expect(result.prismaSql).toContain('DROP CONSTRAINT "order_listing_id_fkey"');
    expect(result.upSql).toContain("SET lock_timeout = '100ms';");
    expect(result.upSql).toContain("ALTER TABLE platform.marketplace ADD COLUMN country_code varchar(2);");
    // Prisma drops the key, then adds it back: planned on the state the drop leaves, the file applies as a
    // plain script too (as Prisma's shadow database applies it), the key dropped once.
    expect(result.upSql).toContain('ALTER TABLE sales."order" ADD CONSTRAINT order_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES sales.listing (id) ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;\nALTER TABLE sales."order" VALIDATE CONSTRAINT order_listing_id_fkey;');
    expect(result.upSql?.split("DROP CONSTRAINT order_listing_id_fkey;")).toHaveLength(2);
    expect(result.upSql).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_sales_order_sold_at_platform ON sales."order" (sold_at, platform_id);');
    expect(result.downSql).toContain("ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID;");
    expect(result.downSql).toContain("DROP INDEX");
    // squawk's type opinion on the VARCHAR(2) the schema asked for is shown, and does not count
    expect(result.findings.map((finding) => `${finding.source}/${finding.rule}:${finding.level}`)).toEqual(["squawk/prefer-text-field:info"]);
    expect(result.exitCode).toBe(0);
    // tried on a copy: applied, and down.sql restored the structure exactly
    expect(result.trial).toEqual({ up: "applied", downRestores: true, differences: 0 });

    // applies with the runner; the database then matches the new schema exactly (Prisma's own diff)
    const db = await scratchDatabase("sf_create_apply");
    expect((await migrate(db.url, { migrationsDir: migrations })).outcome).toBe("applied");
    // Prisma's own engine, in-process (the CLI's `migrate diff` is tested in packages/db): the database against the schema
    const diff = await prismaDiff({ url: db.url, datamodels: await readSchemaFiles(project), configDir: root, from: { tag: "database" }, to: { tag: "schema" }, script: false, readOnly: true });
    expect(diff.differs, diff.text).toBe(false);

    // down.sql returns to the previous structure
    const previous = await scratchDatabase("sf_create_previous");
    await migrate(previous.url);
    await runScript(db.url, result.downSql ?? "");
    const after = (await snapshot(db.url)).filter((row) => !row.name.startsWith("public."));
    expect(after).toEqual(await snapshot(previous.url));
  });
});
