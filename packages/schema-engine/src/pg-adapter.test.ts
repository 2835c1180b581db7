import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, scratchDatabase } from "@soleflip/postgres/testing";
import { ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import { describe, expect, it } from "vitest";
import { PgMigrationAdapterFactory } from "./pg-adapter.ts";

const tableExists = (url: string, name: string) =>
  withClient(url, async (client) => (await client.query("SELECT to_regclass($1) AS t", [name])).rows[0]?.t !== null);

describe("PgMigrationAdapterFactory", () => {
  it("runs a transactional script all-or-nothing, like Prisma's native engine", async () => {
    const db = await scratchDatabase("sf_adapter_atomic");
    const adapter = await new PgMigrationAdapterFactory({ url: db.url }).connect();
    await expect(adapter.executeScript("CREATE TABLE a (id int); CREATE TABLE a (id int);")).rejects.toThrow();
    expect(await tableExists(db.url, "a")).toBe(false);
    await adapter.dispose();
  });

  it("runs a script holding CREATE INDEX CONCURRENTLY statement by statement, semicolons in strings intact", async () => {
    const db = await scratchDatabase("sf_adapter_concurrent");
    const adapter = await new PgMigrationAdapterFactory({ url: db.url }).connect();
    await adapter.executeScript(
      "CREATE TABLE t (id int, note text DEFAULT 'a;b'); CREATE INDEX CONCURRENTLY t_note ON t (note) WHERE note IS NULL;",
    );
    expect(await tableExists(db.url, "t_note")).toBe(true);
    await adapter.dispose();
  });

  it("maps catalog types the engine reads: \"char\" as Character, name as Text, arrays parsed", async () => {
    const db = await scratchDatabase("sf_adapter_types");
    const adapter = await new PgMigrationAdapterFactory({ url: db.url }).connect();
    const result = await adapter.queryRaw({
      sql: "SELECT 'c'::\"char\" AS contype, 'x'::name AS n, ARRAY['a','b,c',NULL]::text[] AS arr, 12.50::numeric AS num, 42::int8 AS big",
      args: [],
      argTypes: [],
    });
    expect(result.columnTypes).toEqual([
      ColumnTypeEnum.Character,
      ColumnTypeEnum.Text,
      ColumnTypeEnum.TextArray,
      ColumnTypeEnum.Numeric,
      ColumnTypeEnum.Int64,
    ]);
    expect(result.rows[0]).toEqual(["c", "x", ["a", "b,c", null], "12.50", "42"]);
    await adapter.dispose();
  });

  it("gives the shadow database its own connection and drops it on dispose", async () => {
    const db = await scratchDatabase("sf_adapter_shadow");
    const shadow = await new PgMigrationAdapterFactory({ url: db.url }).connectToShadowDb();
    const name = (await shadow.queryRaw({ sql: "SELECT current_database()", args: [], argTypes: [] })).rows[0]?.[0];
    expect(name).toMatch(/^prisma_migrate_shadow_db_/);
    await shadow.dispose();
    const left = await withClient(adminDatabaseUrl(), async (client) =>
      (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount,
    );
    expect(left).toBe(0);
  });
});
