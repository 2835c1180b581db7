import { withClient } from "@soleflip/postgres";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { readLiveSchema } from "./live-schema.ts";

describe("readLiveSchema", () => {
  it("describes foreign keys, indexes, columns and constraints by definition", async () => {
    const db = await scratchDatabase("sf_catalog");
    const live = await withClient(db.url, async (client) => {
      await client.query(`
        CREATE SCHEMA shop;
        CREATE TYPE shop.tier AS ENUM ('free', 'pro');
        CREATE TABLE shop.customer (id int PRIMARY KEY, email text NOT NULL UNIQUE, tier shop.tier DEFAULT 'free');
        CREATE TABLE shop."order" (id int PRIMARY KEY, customer_id int, total numeric CHECK (total >= 0));
        ALTER TABLE shop."order" ADD CONSTRAINT order_customer_fk FOREIGN KEY (customer_id)
          REFERENCES shop.customer (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
        CREATE INDEX order_open ON shop."order" (customer_id, id) WHERE total IS NULL;
        CREATE SCHEMA other; CREATE TABLE other.ignored (id int);`);
      return readLiveSchema(client, ["shop", "missing"]);
    });
    expect(live.schemas).toEqual(["shop"]);
    expect(live.tables.map((t) => t.table)).toEqual(["customer", "order"]);
    expect(live.foreignKeys).toEqual([
      expect.objectContaining({
        table: "order", name: "order_customer_fk", columns: ["customer_id"], refSchema: "shop", refTable: "customer",
        refColumns: ["id"], onDelete: "r", onUpdate: "c", validated: false,
      }),
    ]);
    const index = live.indexes.find((i) => i.name === "order_open");
    expect(index).toMatchObject({ columns: ["customer_id", "id"], predicate: "(total IS NULL)", unique: false, valid: true, method: "btree", backsConstraint: false });
    expect(live.indexes.find((i) => i.name === "customer_email_key")).toMatchObject({ unique: true, backsConstraint: true });
    expect(live.columns.find((c) => c.table === "customer" && c.name === "tier")).toMatchObject({ type: "shop.tier", notNull: false, default: "'free'::shop.tier" });
    expect(live.constraints.filter((c) => c.kind === "c").map((c) => c.definition)).toEqual(["CHECK ((total >= (0)::numeric))"]);
    expect(live.enums).toEqual([{ schema: "shop", name: "tier", labels: ["free", "pro"] }]);
  });
});
