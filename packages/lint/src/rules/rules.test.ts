import { readFile, readdir } from "node:fs/promises";
import { readLiveSchema } from "@soleflip/catalog";
import { legacyDatabase } from "@soleflip/db/testing";
import { withClient } from "@soleflip/postgres";
import { parseStatements } from "@soleflip/sql";
import { describe, expect, it } from "vitest";
import { checksumOf, type LocalMigration } from "../history/local-migrations.ts";
import { planOperation } from "../plan/plan-operation.ts";
import { recogniseOperations } from "../plan/recognise.ts";
import { runPreflight } from "../preflight/preflight.ts";
import { RULES } from "./index.ts";
import type { Rule, RuleContext } from "./rule.ts";

async function migrationOf(sql: string): Promise<LocalMigration> {
  const statements = await parseStatements(sql);
  return { name: "m", directory: "/m", sql, checksum: checksumOf(sql), statements, operations: recogniseOperations(statements, "m").operations, downSql: undefined };
}

async function findings(rule: Rule, sql: string, databaseUrl?: string): Promise<string[]> {
  const migration = await migrationOf(sql);
  let context: RuleContext = { migration, options: { largeTableRows: 2 } };
  if (databaseUrl) {
    context = await withClient(databaseUrl, async (client) => {
      await client.query("ANALYZE");
      const live = await readLiveSchema(client, ["catalog", "inventory", "sales", "platform", "supplier", "analytics"]);
      const planned = migration.operations.map((op) => planOperation(op, live));
      const preflight = await runPreflight(client, [{ migration: "m", planned }], live);
      return { migration, options: { largeTableRows: 2 }, database: { live, preflight, rowEstimates: new Map(live.tables.map((t) => [`${t.schema}.${t.table}`, t.estimatedRows])) } };
    });
  }
  return rule.check(context).map((finding) => finding.message);
}

const rule = (id: string): Rule => {
  const found = RULES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

const rows = new URL("../../test/fixtures/legacy-rows.sql", import.meta.url);

describe("the rule registry", () => {
  it("has unique ids, each with a doc page (Problem, Solution)", async () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const docs = await readdir(new URL("../../docs/rules/", import.meta.url));
    for (const id of ids) {
      expect(docs).toContain(`${id}.md`);
      const doc = await readFile(new URL(`../../docs/rules/${id}.md`, import.meta.url), "utf8");
      expect(doc).toMatch(/^# .+\n\n## Problem\n[\s\S]+\n## Solution\n/);
    }
  });
});

describe("ban-unacknowledged-data-loss", () => {
  it("flags a DROP COLUMN without an acknowledgement", async () => {
    expect(await findings(rule("ban-unacknowledged-data-loss"), "ALTER TABLE sales.listing DROP COLUMN raw_data;")).toHaveLength(1);
  });
  it("accepts it with a reason", async () => {
    expect(await findings(rule("ban-unacknowledged-data-loss"), "-- migrator:allow-hazard DELETES_DATA: copied to S3\nALTER TABLE sales.listing DROP COLUMN raw_data;")).toEqual([]);
  });
});

describe("database rules", () => {
  it("blocking-statement-on-large-table: flags plain forms on a table with rows, not the online-safe ones", async () => {
    const url = await legacyDatabase("sf_rule_blocking", rows);
    const blocking = await findings(rule("blocking-statement-on-large-table"), "CREATE INDEX ix ON inventory.stock (status);\nALTER TABLE inventory.stock ALTER COLUMN supplier_id SET NOT NULL;", url);
    expect(blocking).toEqual([expect.stringContaining("CREATE INDEX without CONCURRENTLY"), expect.stringContaining("SET NOT NULL without a validated CHECK")]);
    expect(await findings(rule("blocking-statement-on-large-table"), "CREATE INDEX CONCURRENTLY ix ON inventory.stock (status);", url)).toEqual([]);
  });

  it("not-null-column-has-nulls, foreign-key-has-orphans, unique-index-has-duplicates: violated and clean", async () => {
    const url = await legacyDatabase("sf_rule_data", rows);
    expect(await findings(rule("not-null-column-has-nulls"), "ALTER TABLE inventory.stock ALTER COLUMN supplier_id SET NOT NULL;", url)).toEqual([
      expect.stringContaining("3 row(s) of inventory.stock would keep a NULL supplier_id"),
    ]);
    expect(await findings(rule("not-null-column-has-nulls"), "ALTER TABLE inventory.stock ALTER COLUMN product_id SET NOT NULL;", url)).toEqual([]);
    expect(await findings(rule("foreign-key-has-orphans"), "ALTER TABLE sales.listing ADD CONSTRAINT l_o FOREIGN KEY (stockx_listing_id) REFERENCES sales.\"order\" (stockx_order_number);", url)).toEqual([
      expect.stringContaining("1 row(s) of sales.listing have stockx_listing_id pointing at no sales.order row"),
    ]);
    expect(await findings(rule("foreign-key-has-orphans"), "ALTER TABLE sales.listing ADD CONSTRAINT l_s FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock (id);", url)).toEqual([]);
    expect(await findings(rule("unique-index-has-duplicates"), "CREATE UNIQUE INDEX u ON inventory.stock (status);", url)).toEqual([expect.stringContaining("1 duplicated value(s) of (status)")]);
    expect(await findings(rule("unique-index-has-duplicates"), "CREATE UNIQUE INDEX u ON inventory.stock (id, status);", url)).toEqual([]);
  });
});
