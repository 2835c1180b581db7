import { readFile, readdir } from "node:fs/promises";
import { readWholeLiveSchema } from "@soleflip/catalog";
import { legacyDatabase, legacyRows } from "@soleflip/db/testing";
import { checksumOf } from "@soleflip/history";
import { planOperation, recogniseOperations, runPreflight } from "@soleflip/planner";
import { serverVersionNum, withClient } from "@soleflip/postgres";
import type { RecognisedMigration } from "@soleflip/runner";
import { parseStatements } from "@soleflip/sql";
import { describe, expect, it } from "vitest";
import { RULES } from "./index.ts";
import type { Rule, RuleContext } from "./rule.ts";

async function migrationOf(sql: string): Promise<RecognisedMigration> {
  const statements = await parseStatements(sql);
  return { name: "m", directory: "/m", sql, checksum: checksumOf(sql), statements, operations: recogniseOperations(statements, "m").operations, downSql: undefined };
}

async function findings(rule: Rule, sql: string, databaseUrl?: string): Promise<string[]> {
  const migration = await migrationOf(sql);
  let context: RuleContext = { migration, structure: undefined, serverVersionNum: 140_000, options: { largeTableRows: 2 } };
  if (databaseUrl) {
    context = await withClient(databaseUrl, async (client) => {
      await client.query("ANALYZE");
      const live = await readWholeLiveSchema(client);
      const version = await serverVersionNum(client);
      const planned = migration.operations.map((op) => planOperation(op, { live, serverVersionNum: version }));
      const preflight = await runPreflight(client, [{ migration: "m", planned }], live, version, { acknowledgeAll: true });
      return { migration, structure: live, serverVersionNum: version, options: { largeTableRows: 2 }, database: { preflight, rowEstimates: new Map(live.tables.map((t) => [`${t.schema}.${t.table}`, t.estimatedRows])) } };
    });
  }
  return rule.check(context).map((finding) => finding.message);
}

const rule = (id: string): Rule => {
  const found = RULES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

const rows = legacyRows;

describe("the rule registry", () => {
  it("has unique ids, each with a doc page (Problem, Solution)", async () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const docs = await readdir(new URL("../../../../docs/rules/", import.meta.url));
    for (const id of ids) {
      expect(docs).toContain(`${id}.md`);
      const doc = await readFile(new URL(`../../../../docs/rules/${id}.md`, import.meta.url), "utf8");
      expect(doc).toMatch(/^# .+\n\n## Problem\n[\s\S]+\n## Solution\n/);
    }
  });
});

describe("ban-unacknowledged-hazard", () => {
  it("flags a DROP COLUMN without an acknowledgement", async () => {
    expect(await findings(rule("ban-unacknowledged-hazard"), "ALTER TABLE sales.listing DROP COLUMN raw_data;")).toHaveLength(1);
  });
  it("accepts it with a reason", async () => {
    expect(await findings(rule("ban-unacknowledged-hazard"), "-- migrator:allow-hazard DELETES_DATA: copied to S3\nALTER TABLE sales.listing DROP COLUMN raw_data;")).toEqual([]);
  });
  it("tells a type change that rewrites from one that does not, by the structure it applies to", async () => {
    const url = await legacyDatabase("sf_rule_types");
    expect(await findings(rule("ban-unacknowledged-hazard"), "ALTER TABLE catalog.brand ALTER COLUMN name TYPE varchar(500);", url)).toEqual([]);
    expect(await findings(rule("ban-unacknowledged-hazard"), "ALTER TABLE catalog.brand ALTER COLUMN name TYPE text;", url)).toEqual([]);
    expect(await findings(rule("ban-unacknowledged-hazard"), "ALTER TABLE catalog.brand ALTER COLUMN name TYPE varchar(10);", url)).toEqual([expect.stringContaining("rewrites the whole table")]);
  });
});

describe("database rules", () => {
  it("require-online-form-on-large-table: flags plain forms on a table with rows, not the online-safe ones", async () => {
    const url = await legacyDatabase("sf_rule_blocking", rows);
    const blocking = await findings(rule("require-online-form-on-large-table"), "CREATE INDEX ix ON inventory.stock (status);\nALTER TABLE inventory.stock ALTER COLUMN supplier_id SET NOT NULL;", url);
    expect(blocking).toEqual([expect.stringContaining("CREATE INDEX without CONCURRENTLY"), expect.stringContaining("SET NOT NULL without a validated CHECK")]);
    expect(await findings(rule("require-online-form-on-large-table"), "CREATE INDEX CONCURRENTLY ix ON inventory.stock (status);", url)).toEqual([]);
    // SET NOT NULL after a CHECK validated in the same file is the online form: no scan, no finding.
    const proven = [
      'ALTER TABLE inventory.stock ADD CONSTRAINT "stock_supplier_id_not_null_check" CHECK (supplier_id IS NOT NULL) NOT VALID;',
      'ALTER TABLE inventory.stock VALIDATE CONSTRAINT "stock_supplier_id_not_null_check";',
      "ALTER TABLE inventory.stock ALTER COLUMN supplier_id SET NOT NULL;",
      'ALTER TABLE inventory.stock DROP CONSTRAINT "stock_supplier_id_not_null_check";',
    ].join("\n");
    expect(await findings(rule("require-online-form-on-large-table"), proven, url)).toEqual([]);
  });

  it("ban-not-null-with-nulls, ban-foreign-key-with-orphans, ban-unique-with-duplicates: violated and clean", async () => {
    const url = await legacyDatabase("sf_rule_data", rows);
    expect(await findings(rule("ban-not-null-with-nulls"), "ALTER TABLE inventory.stock ALTER COLUMN supplier_id SET NOT NULL;", url)).toEqual([
      expect.stringContaining("3 rows of inventory.stock would keep a NULL supplier_id"),
    ]);
    expect(await findings(rule("ban-not-null-with-nulls"), "ALTER TABLE inventory.stock ALTER COLUMN product_id SET NOT NULL;", url)).toEqual([]);
    expect(await findings(rule("ban-foreign-key-with-orphans"), "ALTER TABLE sales.listing ADD CONSTRAINT l_o FOREIGN KEY (stockx_listing_id) REFERENCES sales.\"order\" (stockx_order_number);", url)).toEqual([
      expect.stringContaining("1 row of sales.listing has stockx_listing_id pointing at no sales.order row"),
    ]);
    expect(await findings(rule("ban-foreign-key-with-orphans"), "ALTER TABLE sales.listing ADD CONSTRAINT l_s FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock (id);", url)).toEqual([]);
    expect(await findings(rule("ban-unique-with-duplicates"), "CREATE UNIQUE INDEX u ON inventory.stock (status);", url)).toEqual([expect.stringContaining("1 duplicated value(s) of (status)")]);
    expect(await findings(rule("ban-unique-with-duplicates"), "CREATE UNIQUE INDEX u ON inventory.stock (id, status);", url)).toEqual([]);
  });
});
