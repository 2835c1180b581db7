import { parseStatements } from "@soleflip/sql";
import { describe, expect, it } from "vitest";
import { recogniseOperations } from "./recognise.ts";

async function recognise(sql: string) {
  return recogniseOperations(await parseStatements(sql), "m.sql");
}

describe("recogniseOperations", () => {
  it("reads Prisma's drop-and-add of a foreign key as one ensure-foreign-key", async () => {
    const { operations, problems } = await recognise(`
      ALTER TABLE "inventory"."stock" DROP CONSTRAINT "stock_product_id_fkey";
      ALTER TABLE "sales"."order" ALTER COLUMN "stockx_order_number" DROP NOT NULL, ALTER COLUMN "platform_id" SET NOT NULL;
      ALTER TABLE "inventory"."stock" ADD CONSTRAINT "stock_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "catalog"."product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`);
    expect(problems).toEqual([]);
    expect(operations.map((op) => op.id)).toEqual([
      "ensure-nullable:sales.order.stockx_order_number",
      "ensure-not-null:sales.order.platform_id",
      "ensure-foreign-key:inventory.stock.stock_product_id_fkey",
    ]);
    expect(operations[2]).toMatchObject({
      columns: ["product_id"], ref: { schema: "catalog", table: "product" }, refColumns: ["id"], onDelete: "r", onUpdate: "c",
    });
  });

  it("reads the online-safe swap (add NOT VALID, validate, drop, rename) as the same operation", async () => {
    const { operations } = await recognise(`
      SET lock_timeout = '100ms';
      ALTER TABLE sales."order" ADD CONSTRAINT order_inventory_item_id_fkey_new FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
      ALTER TABLE sales."order" VALIDATE CONSTRAINT order_inventory_item_id_fkey_new;
      ALTER TABLE sales."order" DROP CONSTRAINT order_inventory_item_id_fkey;
      ALTER TABLE sales."order" RENAME CONSTRAINT order_inventory_item_id_fkey_new TO order_inventory_item_id_fkey;
      ALTER TABLE sales."order" ADD CONSTRAINT order_platform_id_not_null_check CHECK (platform_id IS NOT NULL) NOT VALID;
      ALTER TABLE sales."order" VALIDATE CONSTRAINT order_platform_id_not_null_check;
      ALTER TABLE sales."order" ALTER COLUMN platform_id SET NOT NULL;
      ALTER TABLE sales."order" DROP CONSTRAINT order_platform_id_not_null_check;`);
    expect(operations.map((op) => op.kind)).toEqual(["session-setting", "ensure-foreign-key", "ensure-not-null"]);
    expect(operations[1]).toMatchObject({ name: "order_inventory_item_id_fkey" });
    expect(operations[1]?.statements).toHaveLength(4);
    expect(operations[2]?.statements).toHaveLength(4);
  });

  it("makes index builds concurrent and idempotent, quoting reserved relation names", async () => {
    const { operations } = await recognise(`CREATE UNIQUE INDEX ix_ext ON sales."order" (external_id) WHERE external_id IS NOT NULL;`);
    expect(operations[0]).toMatchObject({
      kind: "ensure-index",
      unique: true,
      columnsSql: ["external_id"],
      predicateSql: "external_id IS NOT NULL",
      createSql: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_ext ON sales."order" (external_id) WHERE external_id IS NOT NULL',
    });
  });

  it("reads a declared repair and derives a read-only query for the rows it changes", async () => {
    const { operations, problems } = await recognise(`
      -- migrator:repair fill-platform
      -- migrator:why every order before the fix was a StockX order
      UPDATE sales."order" AS o SET platform_id = m.id FROM platform.marketplace AS m
      WHERE m.slug = 'stockx' AND o.platform_id IS NULL AND o.stockx_order_number IS NOT NULL;`);
    expect(problems).toEqual([]);
    expect(operations[0]).toMatchObject({ kind: "repair", repairId: "fill-platform", setsColumns: ["platform_id"] });
    expect(operations[0]?.kind === "repair" && operations[0].affectedRowsSql).toMatch(
      /^SELECT o\.ctid FROM sales\."order" AS o, platform\.marketplace AS m WHERE m\.slug = 'stockx'\s+AND o\.platform_id IS NULL\s+AND o\.stockx_order_number IS NOT NULL$/,
    );
  });

  it("groups other statements into all-or-nothing raw steps and names their hazards", async () => {
    const { operations } = await recognise(`
      CREATE TABLE a (id int);
      CREATE TABLE b (id int);
      ALTER TABLE a DROP COLUMN id;
      VACUUM a;`);
    expect(operations.map((op) => op.kind)).toEqual(["raw", "raw"]);
    expect(operations[0]).toMatchObject({ transactional: true, hazards: ["DELETES_DATA"] });
    expect(operations[0]?.statements).toHaveLength(3);
    expect(operations[1]).toMatchObject({ transactional: false, hazards: ["NON_TRANSACTIONAL"] });
  });

  it("reports a repair without a reason, and one that is not an UPDATE", async () => {
    const { problems } = await recognise(`
      -- migrator:repair no-why
      UPDATE t SET a = 1;
      -- migrator:repair wrong
      -- migrator:why because
      DELETE FROM t;`);
    expect(problems).toEqual([
      "m.sql:3: repair no-why must say why it is correct (\"-- migrator:why <reason>\")",
      "m.sql:6: a repair must be a single UPDATE statement",
    ]);
  });

  it("keeps a type change with the keys dropped and re-added around it as one statement, and turns BIGSERIAL into bigint", async () => {
    const { operations } = await recognise(`
      ALTER TABLE "Category" DROP CONSTRAINT "Category_pkey",
      ALTER COLUMN "id" SET DATA TYPE BIGSERIAL,
      ADD CONSTRAINT "Category_pkey" PRIMARY KEY ("id");`);
    expect(operations.map((op) => op.kind)).toEqual(["alter-column-type"]);
    expect(operations[0]).toMatchObject({
      changes: [{ column: "id", formattedType: "bigint", sequenceType: "bigint" }],
      sql: 'ALTER TABLE "Category" DROP CONSTRAINT "Category_pkey" RESTRICT, ALTER COLUMN id TYPE bigint, ADD CONSTRAINT "Category_pkey" PRIMARY KEY (id)',
    });
  });

  it("splits a type change from unrelated subcommands of the same ALTER TABLE", async () => {
    const { operations } = await recognise(`ALTER TABLE "Brand" ALTER COLUMN "name" SET DATA TYPE VARCHAR(40), ALTER COLUMN "slug" SET NOT NULL;`);
    expect(operations.map((op) => op.kind).sort()).toEqual(["alter-column-type", "ensure-not-null"]);
    expect(operations.find((op) => op.kind === "alter-column-type")).toMatchObject({ changes: [{ column: "name", formattedType: "character varying(40)" }] });
  });
});
