import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, scratchDatabase } from "@soleflip/postgres/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSchemaEngine, type WasmSchemaEngine } from "../src/engine.ts";
import { noSchemaFilter, readMigrationList } from "../src/migration-list.ts";

const schemaPath = new URL("./fixtures/shop.prisma", import.meta.url).pathname;

async function shadowDatabases(): Promise<string[]> {
  return withClient(adminDatabaseUrl(), async (client) =>
    (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'")).rows.map((row) => row.datname),
  );
}

describe("the WebAssembly schema engine over our pg adapter", () => {
  let engine: WasmSchemaEngine;
  let url: string;
  let schema: string;
  let migrationsDir: string;

  beforeAll(async () => {
    url = (await scratchDatabase("sf_engine")).url;
    schema = await readFile(schemaPath, "utf8");
    migrationsDir = join(await mkdtemp(join(tmpdir(), "sf-engine-migrations-")), "migrations");
    await mkdir(migrationsDir, { recursive: true });
    await writeFile(join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
    engine = await openSchemaEngine({ datamodels: [[schemaPath, schema]], url });
  });
  afterAll(async () => {
    engine?.free();
    await rm(join(migrationsDir, ".."), { recursive: true, force: true });
  });

  it("diffs an empty database to the schema as a script", async () => {
    const result = await engine.diff({
      from: { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: true,
      filters: noSchemaFilter,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('CREATE TABLE "billing"."invoice"');
    expect(result.stdout).toContain('CREATE TYPE "shop"."Tier" AS ENUM');
    expect(result.stdout).toContain("ON DELETE RESTRICT ON UPDATE CASCADE");
  });

  it("creates a migration through the shadow database, applies it, and reports the history; no shadow database leaks", async () => {
    const before = await shadowDatabases();
    const migrationsList = await readMigrationList(migrationsDir);
    const diagnostic = await engine.devDiagnostic({ migrationsList, filters: noSchemaFilter });
    expect(diagnostic.action.tag).toBe("createMigration");

    const created = await engine.createMigration({
      draft: true,
      migrationName: "init",
      migrationsList,
      schema: { files: [{ path: schemaPath, content: schema }] },
      filters: noSchemaFilter,
    });
    expect(created.migrationScript).toContain('CREATE TABLE "shop"."customer"');
    const directory = join(migrationsDir, created.generatedMigrationName);
    await mkdir(directory);
    await writeFile(join(directory, "migration.sql"), created.migrationScript ?? "");

    const applied = await engine.applyMigrations({ migrationsList: await readMigrationList(migrationsDir), filters: noSchemaFilter });
    expect(applied.appliedMigrationNames).toEqual([created.generatedMigrationName]);

    const history = await engine.diagnoseMigrationHistory({
      migrationsList: await readMigrationList(migrationsDir),
      optInToShadowDatabase: false,
      filters: noSchemaFilter,
    });
    expect(history).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });

    const checksums = await withClient(url, async (client) =>
      (await client.query<{ migration_name: string; finished: boolean }>("SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations")).rows,
    );
    expect(checksums).toEqual([{ migration_name: created.generatedMigrationName, finished: true }]);
    expect(await shadowDatabases()).toEqual(before);
  });

  it("detects drift between the live database and the schema, and an edited migration", async () => {
    const files = { files: [{ path: schemaPath, content: schema }] };
    const clean = await engine.diff({ from: { tag: "schemaDatasource", ...files, configDir: tmpdir() }, to: { tag: "schemaDatamodel", ...files }, script: false, exitCode: true, filters: noSchemaFilter });
    expect(clean.exitCode).toBe(0);

    await withClient(url, (client) => client.query("ALTER TABLE shop.customer ALTER COLUMN email DROP NOT NULL"));
    const drifted = await engine.diff({ from: { tag: "schemaDatasource", ...files, configDir: tmpdir() }, to: { tag: "schemaDatamodel", ...files }, script: true, exitCode: true, filters: noSchemaFilter });
    expect(drifted.exitCode).toBe(2);
    expect(drifted.stdout).toContain('ALTER COLUMN "email" SET NOT NULL');

    const list = await readMigrationList(migrationsDir);
    const first = list.migrationDirectories[0];
    if (first?.migrationFile.content.tag === "ok") first.migrationFile.content.value += "\n-- edited\n";
    const history = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: noSchemaFilter });
    expect(history.editedMigrationNames).toEqual([first?.path]);
  });

  it("introspects CHECK constraints (reads pg_constraint.contype as a \"char\") without panicking", async () => {
    const target = await scratchDatabase("sf_engine_introspect");
    await withClient(target.url, (client) =>
      client.query(`CREATE SCHEMA shop; CREATE TABLE shop.item (id int PRIMARY KEY, price numeric CONSTRAINT price_positive CHECK (price > 0), tags text[], label name)`),
    );
    const introspector = await openSchemaEngine({ datamodels: [[schemaPath, schema]], url: target.url });
    try {
      const result = await introspector.introspect({
        schema: { files: [{ path: schemaPath, content: schema.replace('["shop", "billing"]', '["shop"]') }] },
        baseDirectoryPath: tmpdir(),
        force: true,
        compositeTypeDepth: -1,
        namespaces: ["shop"],
      });
      const pulled = result.schema.files.map((file) => file.content).join("\n");
      expect(pulled).toMatch(/model item \{/);
      expect(pulled).toMatch(/tags\s+String\[\]/);
      expect(result.warnings ?? "").toContain("price_positive");
    } finally {
      introspector.free();
    }
  });
});
