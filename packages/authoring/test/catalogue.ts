import type { Hazard, LockMode } from "@soleflip/planner";

/**
 * The acceptance catalogue: one row per kind of schema change a Prisma user makes, run on real PostgreSQL
 * with the shop example's demo data in every table (examples/shop). Each row holds the edit of
 * schema.prisma (or the hand-written SQL), what the toolkit should call it, the shape of the statements
 * `create` writes, the lock each planned step takes, and what the author does to get past a hazard or a
 * data problem. The runner (catalogue-runner.ts) takes every row through create → the file → migrate →
 * verify → down.sql → up again → a second migrate that changes nothing. docs/catalogue.md is generated
 * from this table (pnpm docs:catalogue).
 */
export type ChangeClass = "safe" | "online-safe" | "expand-contract" | "hazard" | "impossible-with-data" | "needs-an-edit" | "bad-input";

export const CLASS_TEXT: Record<ChangeClass, string> = {
  safe: "safe as generated",
  "online-safe": "rewritten online-safe",
  "expand-contract": "expand/contract",
  hazard: "hazard: needs an acknowledgement",
  "impossible-with-data": "impossible with the data present",
  "needs-an-edit": "written; needs the author's edit",
  "bad-input": "bad input: nothing written",
};

export interface CatalogueRow {
  id: string;
  group: "Columns" | "Indexes" | "Relations" | "Enums" | "Tables and schemas" | "Hand-written SQL" | "Prisma's workflow";
  title: string;
  /** The edit of the shop example's schema.prisma. */
  edit?: (schema: string) => string;
  /** Or a hand-written migration (the schema stays as it is). */
  sql?: string;
  /** Data the row needs besides the demo data, before the change. */
  data?: string;
  /** A hand-written migration the history has before the change (legacy structure, e.g. a UNIQUE constraint). */
  history?: string;
  /** "empty": the project has no migrations folder yet (its first migration). */
  start?: "empty";
  /** Bad input: `create` fails with this code (and its message matches), writing nothing. */
  rejects?: { code: string; message: RegExp };
  /** Files `create` must leave in the migrations folder, with their content. */
  files?: Record<string, RegExp>;
  class: ChangeClass;
  /** The counted findings `create` (or lint, for hand-written SQL) reports, by rule id. */
  findings: string[];
  /** Shapes the written migration.sql must have. */
  statements: RegExp[];
  /** The lock of each step the runner plans for the migration, in order (on PostgreSQL 18). */
  locks: LockMode[];
  /** The same on PostgreSQL 14–17, where the plan differs there. */
  locksBefore18?: LockMode[];
  /**
   * What the author does: acknowledge the hazard (the line is added before the statement), fix the data
   * first, or add the statement the finding names at the top of the file (then `create --check`).
   */
  resolve?: { acknowledge?: Hazard; data?: string; prepend?: string };
  /** Why this answer, where it is a judgement. */
  note?: string;
  /**
   * An expand/contract row: the phases `create` writes; what each application version writes while both run
   * (after the expand); a query counting rows out of step (must be 0 throughout); SQL that puts a row out of
   * step behind the trigger's back (the contract's gate must refuse), and the backfill that brings it back.
   */
  online?: { phases: Array<"expand" | "switch" | "contract">; oldWriter: string; newWriter: string; outOfStep: string; gated?: { bypass: string; refill: string; gate: "switch" | "contract" } };
}

/** Adds a field line inside a model. */
const addField = (model: string, line: string) => (schema: string) => schema.replace(new RegExp(`(model ${model} \\{\\n)`), `$1  ${line}\n`);
/** Replaces a field's line (matched by its start). */
const replaceField = (model: string, from: RegExp, to: string) => (schema: string) => {
  const start = schema.indexOf(`model ${model} {`);
  const end = schema.indexOf("\n}", start);
  const body = schema.slice(start, end);
  if (!from.test(body)) throw new Error(`catalogue: ${from} not found in model ${model}`);
  return schema.slice(0, start) + body.replace(from, to) + schema.slice(end);
};
const removeField = (model: string, from: RegExp) => replaceField(model, from, "");
const addModelAttribute = (model: string, line: string) => (schema: string) => {
  const start = schema.indexOf(`model ${model} {`);
  const end = schema.indexOf("\n}", start);
  return `${schema.slice(0, end)}\n  ${line}${schema.slice(end)}`;
};
const appendModel = (text: string) => (schema: string) => `${schema}\n${text}\n`;
const pipe = (...edits: Array<(schema: string) => string>) => (schema: string) => edits.reduce((s, edit) => edit(s), schema);

const AE: LockMode = "ACCESS EXCLUSIVE";
const SUE: LockMode = "SHARE UPDATE EXCLUSIVE";
const SRE: LockMode = "SHARE ROW EXCLUSIVE";
const NONE: LockMode = "NONE";

export const CATALOGUE: CatalogueRow[] = [
  // Columns
  { id: "add-nullable-column", group: "Columns", title: "Add a nullable column", edit: addField("Product", "color String?"), class: "safe", findings: [], statements: [/ALTER TABLE "Product" ADD COLUMN color text;/], locks: [AE] },
  { id: "add-column-constant-default", group: "Columns", title: "Add a column with a constant default", edit: addField("Product", "active Boolean @default(true)"), class: "safe", findings: [], statements: [/ADD COLUMN active boolean\s+NOT NULL\s+DEFAULT true;/], locks: [AE], note: "Since PostgreSQL 11 a constant default is stored once in the catalog: no rewrite." },
  {
    id: "add-column-volatile-default",
    group: "Columns",
    title: "Add a column with a volatile default (dbgenerated)",
    edit: addField("Order", 'token String @default(dbgenerated("gen_random_uuid()")) @db.Uuid'),
    class: "online-safe",
    findings: [],
    statements: [
      /ALTER TABLE "Order" ADD COLUMN token uuid;\nALTER TABLE "Order" ALTER COLUMN token SET DEFAULT gen_random_uuid\(\);/,
      /-- migrator:repair fill-order-token\n[\s\S]*UPDATE "Order" SET token = gen_random_uuid\(\) WHERE token IS NULL;/,
      /CHECK \(token IS NOT NULL\) NOT VALID;/,
    ],
    locks: [AE, AE, "ROW EXCLUSIVE", AE, SUE],
    locksBefore18: [AE, AE, "ROW EXCLUSIVE", AE, SUE, AE],
    note: "Prisma's ADD COLUMN … DEFAULT gen_random_uuid() makes PostgreSQL rewrite the table under ACCESS EXCLUSIVE (every row gets its own value). Online, in one migration: the column added without a default, the default set for new rows, the existing rows filled by a batched backfill with the same expression, NOT NULL proven online.",
  },
  {
    id: "add-required-column-without-default",
    group: "Columns",
    title: "Add a required column without a default",
    edit: addField("Order", "channel String"),
    class: "impossible-with-data",
    findings: ["ban-required-column-on-filled-table"],
    statements: [/ADD COLUMN channel text\s+NOT NULL;/],
    locks: [AE],
    resolve: { data: 'DELETE FROM "OrderItem"; DELETE FROM "Review"; DELETE FROM "Order";' },
    note: "Prisma warns and the statement fails on any row; the pre-flight counts the rows first. Give it a default, or add it optional, fill it, then require it.",
  },
  { id: "drop-column", group: "Columns", title: "Drop a column", edit: removeField("Order", /\n\s+note\s+String\?/), class: "hazard", findings: ["ban-unacknowledged-hazard"], statements: [/DROP COLUMN "note";/], locks: [AE], resolve: { acknowledge: "DELETES_DATA" } },
  {
    id: "rename-column-via-map",
    group: "Columns",
    title: "Rename a column through @map",
    edit: replaceField("Order", /note\s+String\?/, 'note String? @map("remark")'),
    class: "expand-contract",
    findings: [],
    statements: [
      /_expand \(up\)[\s\S]*ALTER TABLE "Order" ADD COLUMN remark text;/,
      /CREATE OR REPLACE TRIGGER "_sf_sync_Order_note_remark" BEFORE INSERT OR UPDATE ON "Order" FOR EACH ROW/,
      /-- migrator:repair copy-note-to-remark\n[\s\S]*UPDATE "Order" SET remark = note WHERE remark IS DISTINCT FROM note;/,
      /_contract \(up\)[\s\S]*-- migrator:contract-of \d+_rename_column_via_map_expand\n-- migrator:gate\nDO \$gate\$/,
      /DROP TRIGGER IF EXISTS "_sf_sync_Order_note_remark" ON "Order";/,
      /ALTER TABLE "Order" DROP COLUMN note;/,
    ],
    locks: [AE, SRE, "ROW EXCLUSIVE", AE],
    online: {
      phases: ["expand", "contract"],
      oldWriter: `INSERT INTO "Order" ("userId", total, note) SELECT "userId", 5, 'from the old version' FROM "Order" LIMIT 1; UPDATE "Order" SET note = 'edited by the old version' WHERE id = (SELECT min(id) FROM "Order");`,
      newWriter: `INSERT INTO "Order" ("userId", total, remark) SELECT "userId", 6, 'from the new version' FROM "Order" LIMIT 1; UPDATE "Order" SET remark = 'edited by the new version' WHERE id = (SELECT max(id) FROM "Order");`,
      outOfStep: `SELECT count(*)::int AS n FROM "Order" WHERE remark IS DISTINCT FROM note`,
      gated: {
      bypass: `ALTER TABLE "Order" DISABLE TRIGGER "_sf_sync_Order_note_remark"; UPDATE "Order" SET note = 'written with the trigger off' WHERE id = (SELECT min(id) FROM "Order"); ALTER TABLE "Order" ENABLE TRIGGER "_sf_sync_Order_note_remark";`,
      refill: `UPDATE "Order" SET remark = note WHERE remark IS DISTINCT FROM note;`,
      gate: "contract",
      },
    },
    note: "Prisma writes drop + add: the data is lost. Online: the expand adds remark beside note, a trigger keeps the two in step both ways while the old and the new application versions run, a batched backfill fills the rows written before; the contract, in a later run and behind a gate that proves no row differs, drops the trigger and note. `create --plain` writes Prisma's form (a hazard to acknowledge).",
  },
  {
    id: "make-required-with-nulls",
    group: "Columns",
    title: "Make a column required (NULLs present)",
    edit: replaceField("User", /name\s+String\?/, "name String"),
    class: "impossible-with-data",
    findings: ["ban-not-null-with-nulls"],
    statements: [/ADD CONSTRAINT "User_name_not_null_check" CHECK \(name IS NOT NULL\) NOT VALID;/, /VALIDATE CONSTRAINT "User_name_not_null_check";/, /ALTER COLUMN name SET NOT NULL;/],
    locks: [AE, SUE],
    locksBefore18: [AE, SUE, AE],
    resolve: { data: `UPDATE "User" SET name = 'unknown' WHERE name IS NULL;` },
    note: "On PostgreSQL 18 the runner uses NOT NULL … NOT VALID + VALIDATE; on 14–17 a validated CHECK makes SET NOT NULL skip its scan.",
  },
  {
    id: "make-required-without-nulls",
    group: "Columns",
    title: "Make a column required (no NULLs present)",
    data: `UPDATE "Product" SET description = 'n/a' WHERE description IS NULL;`,
    edit: replaceField("Product", /description\s+String\?/, "description String"),
    class: "online-safe",
    findings: [],
    statements: [/ADD CONSTRAINT "Product_description_not_null_check" CHECK \(description IS NOT NULL\) NOT VALID;/, /VALIDATE CONSTRAINT "Product_description_not_null_check";/, /ALTER COLUMN description SET NOT NULL;/],
    locks: [AE, SUE],
    locksBefore18: [AE, SUE, AE],
  },
  { id: "make-optional", group: "Columns", title: "Make a column optional", edit: replaceField("Product", /name\s+String\n/, "name String?\n"), class: "safe", findings: [], statements: [/ALTER TABLE "Product" ALTER COLUMN name DROP NOT NULL;/], locks: [AE] },
  { id: "add-default", group: "Columns", title: "Add a default", edit: replaceField("Order", /note\s+String\?/, 'note String? @default("")'), class: "safe", findings: [], statements: [/ALTER COLUMN "note" SET DEFAULT '';/], locks: [AE] },
  { id: "drop-default", group: "Columns", title: "Drop a default", edit: replaceField("Product", /stock\s+Int\s+@default\(0\)/, "stock Int"), class: "safe", findings: [], statements: [/ALTER COLUMN "stock" DROP DEFAULT;/], locks: [AE] },
  { id: "change-default", group: "Columns", title: "Change a default", edit: replaceField("Product", /stock\s+Int\s+@default\(0\)/, "stock Int @default(1)"), class: "safe", findings: [], statements: [/ALTER COLUMN "stock" SET DEFAULT 1;/], locks: [AE] },
  { id: "widen-varchar", group: "Columns", title: "Widen VARCHAR(50) to VARCHAR(100)", edit: replaceField("Category", /@db\.VarChar\(50\)/, "@db.VarChar(100)"), class: "safe", findings: [], statements: [/ALTER COLUMN name TYPE varchar\(100\);/], locks: [AE], note: "A larger limit rewrites nothing (PostgreSQL checks only the catalog): a brief ACCESS EXCLUSIVE." },
  { id: "varchar-to-text", group: "Columns", title: "VARCHAR(n) to TEXT", edit: replaceField("Category", /name\s+String\s+@db\.VarChar\(50\)/, "name String"), class: "safe", findings: [], statements: [/ALTER COLUMN name TYPE text;/], locks: [AE] },
  { id: "numeric-precision-up", group: "Columns", title: "Raise a NUMERIC precision (10,2 → 12,2)", edit: replaceField("Product", /@db\.Decimal\(10, 2\)/, "@db.Decimal(12, 2)"), class: "safe", findings: [], statements: [/ALTER COLUMN price TYPE numeric\(12, 2\);/], locks: [AE] },
  {
    id: "int-to-bigint",
    group: "Columns",
    title: "Int to BigInt",
    edit: replaceField("Product", /stock\s+Int\s+@default\(0\)/, "stock BigInt @default(0)"),
    class: "expand-contract",
    findings: [],
    statements: [
      /_expand \(up\)[\s\S]*ALTER TABLE "Product" ADD COLUMN _sf_new_stock bigint;/,
      /NEW._sf_new_stock := CAST\(NEW.stock AS bigint\);/,
      /UPDATE "Product" SET _sf_new_stock = CAST\(stock AS bigint\) WHERE _sf_new_stock IS DISTINCT FROM CAST\(stock AS bigint\);/,
      /_switch \(up\)[\s\S]*-- migrator:gate\nDO \$gate\$[\s\S]*BEGIN;\n[\s\S]*ALTER TABLE "Product" RENAME COLUMN stock TO _sf_old_stock;[\s\S]*ALTER TABLE "Product" RENAME COLUMN _sf_new_stock TO stock;[\s\S]*COMMIT;/,
      /_contract \(up\)[\s\S]*ALTER TABLE "Product" DROP COLUMN _sf_old_stock;/,
    ],
    locks: [AE, SRE, "ROW EXCLUSIVE", AE, SUE, AE, AE],
    locksBefore18: [AE, SRE, "ROW EXCLUSIVE", AE, SUE, AE, AE, AE],
    online: {
      phases: ["expand", "switch", "contract"],
      oldWriter: `UPDATE "Product" SET stock = stock + 1 WHERE id = (SELECT min(id) FROM "Product"); INSERT INTO "Product" (sku, name, price, stock) VALUES ('OLD-VERSION-1', 'old version', 1, 7);`,
      newWriter: `UPDATE "Product" SET stock = 2147483000 WHERE id = (SELECT max(id) FROM "Product");`,
      outOfStep: `SELECT count(*)::int AS n FROM "Product" WHERE _sf_new_stock IS DISTINCT FROM CAST(stock AS bigint)`,
      gated: {
      bypass: `ALTER TABLE "Product" DISABLE TRIGGER "_sf_sync_Product_type"; UPDATE "Product" SET stock = 42 WHERE id = (SELECT min(id) FROM "Product"); ALTER TABLE "Product" ENABLE TRIGGER "_sf_sync_Product_type";`,
      refill: `UPDATE "Product" SET _sf_new_stock = CAST(stock AS bigint) WHERE _sf_new_stock IS DISTINCT FROM CAST(stock AS bigint);`,
      gate: "switch",
      },
    },
    note: "PostgreSQL rewrites the table under ACCESS EXCLUSIVE for Prisma's ALTER COLUMN TYPE. Online: the expand adds a bigint column kept equal by a trigger and filled in batches (NOT NULL proven online); the switch, behind a gate that every row is equal, renames the two into each other's place in one short transaction (default and all); the contract drops the old column in a later run. `create --plain` writes Prisma's form.",
  },
  {
    id: "type-change-of-a-referenced-key",
    group: "Columns",
    title: "Int to BigInt on a key and the foreign key referencing it",
    edit: pipe(replaceField("Category", /id\s+Int\s+@id @default\(autoincrement\(\)\)/, "id BigInt @id @default(autoincrement())"), replaceField("Product", /categoryId\s+Int\?/, "categoryId BigInt?")),
    class: "expand-contract",
    findings: [],
    statements: [
      /_expand \(up\)[\s\S]*ALTER TABLE "Category" ADD COLUMN _sf_new_id bigint;/,
      /CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "_sf_new_Category_pkey" ON "Category" \(_sf_new_id\);/,
      /ALTER TABLE "Product" ADD COLUMN "_sf_new_categoryId" bigint;/,
      /_switch \(up\)[\s\S]*BEGIN;\nALTER TABLE public."Product" DROP CONSTRAINT "Product_categoryId_fkey";\nALTER TABLE "Category" DROP CONSTRAINT "Category_pkey";/,
      /ALTER SEQUENCE public."Category_id_seq" AS bigint OWNED BY "Category".id;\nALTER TABLE "Category" ADD CONSTRAINT "Category_pkey" PRIMARY KEY USING INDEX "_sf_new_Category_pkey";/,
      /ADD CONSTRAINT "Product_categoryId_fkey" FOREIGN KEY \("categoryId"\) REFERENCES public."Category" \(id\) ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;\nCOMMIT;\n\nALTER TABLE public."Product" VALIDATE CONSTRAINT "Product_categoryId_fkey";/,
      /_contract \(up\)[\s\S]*ALTER TABLE "Category" DROP COLUMN _sf_old_id;[\s\S]*ALTER TABLE "Product" DROP COLUMN "_sf_old_categoryId";/,
    ],
    locks: [AE, SRE, "ROW EXCLUSIVE", AE, SUE, SUE, AE, SRE, "ROW EXCLUSIVE", SUE, AE, SUE, AE],
    locksBefore18: [AE, SRE, "ROW EXCLUSIVE", AE, SUE, AE, SUE, AE, SRE, "ROW EXCLUSIVE", SUE, AE, SUE, AE],
    online: {
      phases: ["expand", "switch", "contract"],
      oldWriter: `INSERT INTO "Category" (name) VALUES ('written by the old version'); UPDATE "Product" SET "categoryId" = (SELECT max(id) FROM "Category") WHERE id = (SELECT min(id) FROM "Product");`,
      newWriter: `INSERT INTO "Product" (sku, name, price, "categoryId") SELECT 'NEW-VERSION-1', 'new version', 3, min(id) FROM "Category";`,
      outOfStep: `SELECT ((SELECT count(*) FROM "Category" WHERE _sf_new_id IS DISTINCT FROM CAST(id AS bigint)) + (SELECT count(*) FROM "Product" WHERE "_sf_new_categoryId" IS DISTINCT FROM CAST("categoryId" AS bigint)))::int AS n`,
      gated: {
      bypass: `ALTER TABLE "Product" DISABLE TRIGGER "_sf_sync_Product_type"; UPDATE "Product" SET "categoryId" = (SELECT min(id) FROM "Category") WHERE id = (SELECT max(id) FROM "Product"); UPDATE "Product" SET "categoryId" = NULL WHERE id = (SELECT min(id) FROM "Product"); ALTER TABLE "Product" ENABLE TRIGGER "_sf_sync_Product_type";`,
      refill: `UPDATE "Product" SET "_sf_new_categoryId" = CAST("categoryId" AS bigint) WHERE "_sf_new_categoryId" IS DISTINCT FROM CAST("categoryId" AS bigint);`,
      gate: "switch",
      },
    },
    note: "Prisma writes `SET DATA TYPE BIGSERIAL`, which PostgreSQL rejects (prisma/orm#16825), and a rewrite under ACCESS EXCLUSIVE of both tables. Online: bigint columns beside the key and the column referencing it, kept equal by triggers, filled in batches, the key's unique index built concurrently; the switch swaps the columns in one short transaction, re-attaches the primary key through that index, widens the sequence and adds the foreign key back NOT VALID (validated after); the contract drops the old columns in a later run.",
  },
  {
    id: "string-to-int",
    group: "Columns",
    title: "String to Int, the values parse (a type change with a cast)",
    data: `UPDATE "Order" SET note = (id * 7)::text;`,
    edit: replaceField("Order", /note\s+String\?/, "note Int?"),
    class: "expand-contract",
    findings: [],
    statements: [
      /_expand \(up\)[\s\S]*ALTER TABLE "Order" ADD COLUMN _sf_new_note integer;/,
      /CREATE OR REPLACE FUNCTION "_sf_cast_Order_note"\(v text\) RETURNS integer LANGUAGE plpgsql[\s\S]*RETURN CAST\(v AS integer\);\nEXCEPTION WHEN data_exception THEN/,
      /NEW._sf_new_note := "_sf_cast_Order_note"\(NEW.note\);/,
      /_switch \(up\)[\s\S]*do not convert to integer: switching now would lose them[\s\S]*ALTER TABLE "Order" RENAME COLUMN _sf_new_note TO note;/,
      /_contract \(up\)[\s\S]*DROP FUNCTION IF EXISTS "_sf_cast_Order_note"\(text\);[\s\S]*ALTER TABLE "Order" DROP COLUMN _sf_old_note;/,
    ],
    locks: [AE, SRE, "ROW EXCLUSIVE", AE, AE],
    online: {
      phases: ["expand", "switch", "contract"],
      oldWriter: `UPDATE "Order" SET note = '41' WHERE id = (SELECT min(id) FROM "Order"); INSERT INTO "Order" ("userId", total, note) SELECT min(id), 1, ' 12 ' FROM "User";`,
      newWriter: `UPDATE "Order" SET note = '-5' WHERE id = (SELECT max(id) FROM "Order");`,
      outOfStep: `SELECT count(*)::int AS n FROM "Order" WHERE _sf_new_note IS DISTINCT FROM "_sf_cast_Order_note"(note) OR (note IS NOT NULL AND _sf_new_note IS NULL)`,
      gated: {
        // the old version writes a value that does not convert: the trigger leaves the new column empty, the switch refuses
        bypass: `UPDATE "Order" SET note = 'twelve' WHERE id = (SELECT min(id) FROM "Order");`,
        refill: `UPDATE "Order" SET note = '12' WHERE note = 'twelve';`,
        gate: "switch",
      },
    },
    note: "Prisma finds no cast and writes DROP COLUMN + ADD COLUMN: every value is lost. Online: the expand adds an integer column beside note, converted by PostgreSQL's own cast in a function that gives NULL instead of failing (an old version's write that does not parse must not fail), kept equal by a trigger and filled in batches; the switch's gate refuses while a value did not convert (it names the query that lists them), then renames the two into each other's place; the contract drops the old column and the functions in a later run. A bounded string type (varchar(n)) on either side stays Prisma's form: an explicit cast cuts values short without an error.",
  },
  { id: "text-to-varchar-fitting", group: "Columns", title: "TEXT to VARCHAR(n), values fit", edit: replaceField("Brand", /name\s+String$/, "name String @db.VarChar(40)"), class: "hazard", findings: ["ban-unacknowledged-hazard"], statements: [/ALTER COLUMN name TYPE varchar\(40\);/], locks: [AE], resolve: { acknowledge: "REWRITES_TABLE" } },
  {
    id: "text-to-varchar-too-long",
    group: "Columns",
    title: "TEXT to VARCHAR(n), values too long",
    edit: replaceField("User", /name\s+String\?/, "name String? @db.VarChar(10)"),
    class: "impossible-with-data",
    findings: ["ban-type-change-that-does-not-fit", "ban-unacknowledged-hazard"],
    statements: [/ALTER COLUMN name TYPE varchar\(10\);/],
    locks: [AE],
    resolve: { acknowledge: "REWRITES_TABLE", data: `UPDATE "User" SET name = left(name, 10);` },
  },
  {
    id: "numeric-precision-down",
    group: "Columns",
    title: "Lower a NUMERIC precision (10,2 → 8,2)",
    edit: replaceField("Product", /@db\.Decimal\(10, 2\)/, "@db.Decimal(8, 2)"),
    class: "expand-contract",
    findings: [],
    statements: [
      /_expand \(up\)[\s\S]*ALTER TABLE "Product" ADD COLUMN _sf_new_price numeric\(8,2\);/,
      /RETURN CAST\(v AS numeric\(8,2\)\);\nEXCEPTION WHEN data_exception THEN/,
      /_switch \(up\)[\s\S]*do not convert to numeric\(8,2\)[\s\S]*VALIDATE CONSTRAINT[\s\S]*ALTER COLUMN _sf_new_price SET NOT NULL;[\s\S]*RENAME COLUMN _sf_new_price TO price;/,
      /_contract \(up\)[\s\S]*ALTER TABLE "Product" DROP COLUMN _sf_old_price;/,
    ],
    locks: [AE, SRE, "ROW EXCLUSIVE", AE, SUE, AE, AE],
    locksBefore18: [AE, SRE, "ROW EXCLUSIVE", AE, SUE, AE, AE, AE],
    online: {
      phases: ["expand", "switch", "contract"],
      oldWriter: `UPDATE "Product" SET price = 12.34 WHERE id = (SELECT min(id) FROM "Product"); INSERT INTO "Product" (sku, name, price) VALUES ('OLD-VERSION-1', 'old version', 999999.994);`,
      newWriter: `UPDATE "Product" SET price = 0.5 WHERE id = (SELECT max(id) FROM "Product");`,
      outOfStep: `SELECT count(*)::int AS n FROM "Product" WHERE _sf_new_price IS DISTINCT FROM "_sf_cast_Product_price"(price) OR (price IS NOT NULL AND _sf_new_price IS NULL)`,
      gated: {
        // a price numeric(8,2) cannot hold, written by the old version: the switch refuses until it is corrected
        bypass: `UPDATE "Product" SET price = 1234567.89 WHERE id = (SELECT min(id) FROM "Product");`,
        refill: `UPDATE "Product" SET price = 99.99 WHERE price = 1234567.89;`,
        gate: "switch",
      },
    },
    note: "PostgreSQL rewrites the table under ACCESS EXCLUSIVE for Prisma's ALTER COLUMN TYPE, and fails as a whole on the first value that does not fit. Online, a checked conversion: a numeric(8,2) column beside price, PostgreSQL's cast in a function that gives NULL for a value that does not fit (rounding as the cast does), the switch's gate refusing while one does not, NOT NULL proven after it, then the swap; the contract in a later run.",
  },

  // Indexes
  { id: "add-index", group: "Indexes", title: "Add an index", edit: addModelAttribute("Order", "@@index([status])"), class: "online-safe", findings: [], statements: [/CREATE INDEX CONCURRENTLY IF NOT EXISTS "Order_status_idx" ON "Order" \(status\);/], locks: [SUE] },
  { id: "drop-index", group: "Indexes", title: "Drop an index", edit: replaceField("Product", /\n\s+@@index\(\[categoryId\]\)/, ""), class: "online-safe", findings: [], statements: [/DROP INDEX CONCURRENTLY IF EXISTS "Product_categoryId_idx";/], locks: [SUE], note: "Prisma writes a plain DROP INDEX (ACCESS EXCLUSIVE); the migration drops it CONCURRENTLY (reads and writes continue)." },
  { id: "rename-index", group: "Indexes", title: "Rename an index (map:)", edit: replaceField("Product", /@@index\(\[categoryId\]\)/, '@@index([categoryId], map: "product_by_category")'), class: "safe", findings: [], statements: [/ALTER INDEX "Product_categoryId_idx" RENAME TO product_by_category;/], locks: [SUE] },
  { id: "composite-index", group: "Indexes", title: "Add a composite index", edit: addModelAttribute("Product", "@@index([brandId, price])"), class: "online-safe", findings: [], statements: [/CREATE INDEX CONCURRENTLY IF NOT EXISTS "Product_brandId_price_idx" ON "Product" \("brandId", price\);/], locks: [SUE] },
  { id: "gin-index", group: "Indexes", title: "Add a GIN index", edit: addModelAttribute("Product", "@@index([labels], type: Gin)"), class: "online-safe", findings: [], statements: [/CREATE INDEX CONCURRENTLY IF NOT EXISTS "Product_labels_idx" ON "Product" USING gin \(labels\);/], locks: [SUE] },
  { id: "unique-without-duplicates", group: "Indexes", title: "Add a unique constraint (no duplicates)", edit: addModelAttribute("Order", "@@unique([userId, createdAt])"), class: "online-safe", findings: [], statements: [/CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Order_userId_createdAt_key" ON "Order" \("userId", "createdAt"\);/], locks: [SUE] },
  {
    id: "unique-with-duplicates",
    group: "Indexes",
    title: "Add a unique constraint (duplicates present)",
    edit: replaceField("Product", /name\s+String\n/, "name String @unique\n"),
    class: "impossible-with-data",
    findings: ["ban-unique-with-duplicates"],
    statements: [/CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Product_name_key" ON "Product" \(name\);/],
    locks: [SUE],
    resolve: { data: `UPDATE "Product" SET name = name || ' #' || id;` },
  },

  // Relations
  {
    id: "relation-on-new-column",
    group: "Relations",
    title: "Add a relation on a new column",
    edit: pipe(addField("Product", "supplierId Int?"), addField("Product", "supplier Supplier? @relation(fields: [supplierId], references: [id])"), appendModel("model Supplier {\n  id       Int       @id @default(autoincrement())\n  name     String\n  products Product[]\n}")),
    class: "online-safe",
    findings: [],
    statements: [/CREATE TABLE "Supplier"/, /ADD COLUMN "supplierId" int;/, /ADD CONSTRAINT "Product_supplierId_fkey" FOREIGN KEY \("supplierId"\) REFERENCES "Supplier" \(id\) ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;/, /VALIDATE CONSTRAINT "Product_supplierId_fkey";/],
    locks: [AE, AE, SRE, SUE],
  },
  {
    id: "relation-on-existing-column",
    group: "Relations",
    title: "Add a relation on an existing column (no orphans)",
    data: `UPDATE "Product" SET "brandId" = 1 WHERE "brandId" NOT IN (SELECT id FROM "Brand");`,
    edit: pipe(addField("Product", "brand Brand? @relation(fields: [brandId], references: [id])"), replaceField("Brand", /name\s+String$/, "name String\n  products Product[]")),
    class: "online-safe",
    findings: [],
    statements: [/FOREIGN KEY \("brandId"\) REFERENCES "Brand" \(id\) ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;/, /VALIDATE CONSTRAINT "Product_brandId_fkey";/],
    locks: [SRE, SUE],
  },
  {
    id: "relation-with-orphans",
    group: "Relations",
    title: "Add a relation on an existing column (orphans present)",
    edit: pipe(addField("Product", "brand Brand? @relation(fields: [brandId], references: [id])"), replaceField("Brand", /name\s+String$/, "name String\n  products Product[]")),
    class: "impossible-with-data",
    findings: ["ban-foreign-key-with-orphans"],
    statements: [/FOREIGN KEY \("brandId"\) REFERENCES "Brand" \(id\)/],
    locks: [SRE, SUE],
    resolve: { data: `UPDATE "Product" SET "brandId" = NULL WHERE "brandId" NOT IN (SELECT id FROM "Brand");` },
  },
  {
    id: "change-relation-actions",
    group: "Relations",
    title: "Change a relation's referential actions",
    edit: replaceField("Product", /category\s+Category\?\s+@relation\(fields: \[categoryId\], references: \[id\]\)/, "category Category? @relation(fields: [categoryId], references: [id], onDelete: Restrict, onUpdate: Restrict)"),
    class: "online-safe",
    findings: [],
    statements: [/ADD CONSTRAINT "Product_categoryId_fkey_new" FOREIGN KEY \("categoryId"\) REFERENCES "Category" \(id\) ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;/, /VALIDATE CONSTRAINT "Product_categoryId_fkey_new";/, /DROP CONSTRAINT "Product_categoryId_fkey";\nALTER TABLE "Product" RENAME CONSTRAINT "Product_categoryId_fkey_new" TO "Product_categoryId_fkey";/],
    locks: [SRE, SUE, AE],
  },
  {
    id: "drop-relation",
    group: "Relations",
    title: "Drop a relation (keep the column)",
    edit: pipe(removeField("Product", /\n\s+category\s+Category\?[^\n]*/), removeField("Category", /\n\s+products\s+Product\[\]/)),
    class: "safe",
    findings: [],
    statements: [/ALTER TABLE "Product" DROP CONSTRAINT "Product_categoryId_fkey";/],
    locks: [AE],
  },
  {
    id: "self-relation",
    group: "Relations",
    title: "Add a self-relation",
    edit: pipe(addField("Category", "parentId Int?"), addField("Category", 'parent Category? @relation("tree", fields: [parentId], references: [id])'), addField("Category", 'children Category[] @relation("tree")')),
    class: "online-safe",
    findings: [],
    statements: [/ADD COLUMN "parentId" int;/, /FOREIGN KEY \("parentId"\) REFERENCES "Category" \(id\) ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;/],
    locks: [AE, SRE, SUE],
  },
  {
    id: "composite-foreign-key",
    group: "Relations",
    title: "Add a composite foreign key",
    data: `DELETE FROM "Review" r WHERE NOT EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = r."orderId" AND i."productId" = r."productId");`,
    edit: pipe(addField("Review", "item OrderItem @relation(fields: [orderId, productId], references: [orderId, productId])"), addField("OrderItem", "reviews Review[]")),
    class: "online-safe",
    findings: [],
    statements: [/FOREIGN KEY \("orderId", "productId"\) REFERENCES "OrderItem" \("orderId", "productId"\) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;/],
    locks: [SRE, SUE],
  },

  // Enums
  { id: "enum-add-value", group: "Enums", title: "Add an enum value", edit: (schema) => schema.replace("  cancelled\n}", "  cancelled\n  refunded\n}"), class: "safe", findings: [], statements: [/ALTER TYPE "OrderStatus" ADD VALUE 'refunded';/], locks: ["NONE"], note: "Prisma appends enum values by design; ADD VALUE takes no table lock, so squawk's ordering rule is not counted." },
  {
    id: "enum-remove-unused-value",
    group: "Enums",
    title: "Remove an enum value no row uses",
    edit: (schema) => schema.replace("  shipped\n  cancelled\n}", "  shipped\n}"),
    class: "hazard",
    findings: ["ban-unacknowledged-hazard"],
    statements: [/CREATE TYPE "OrderStatus_new" AS ENUM \('pending', 'paid', 'shipped'\);/, /ALTER TYPE "OrderStatus_new" RENAME TO "OrderStatus";/],
    locks: [AE],
    resolve: { acknowledge: "REWRITES_TABLE" },
    note: "PostgreSQL cannot drop an enum value: Prisma converts every column to a new type, rewriting each table.",
  },
  {
    id: "enum-remove-used-value",
    group: "Enums",
    title: "Remove an enum value rows use",
    edit: (schema) => schema.replace("  pending\n  paid\n", "  pending\n"),
    class: "impossible-with-data",
    findings: ["ban-enum-value-removal-in-use", "ban-unacknowledged-hazard"],
    statements: [/CREATE TYPE "OrderStatus_new" AS ENUM \('pending', 'shipped', 'cancelled'\);/],
    locks: [AE],
    resolve: { acknowledge: "REWRITES_TABLE", data: `UPDATE "Order" SET status = 'shipped' WHERE status = 'paid';` },
  },
  {
    id: "enum-rename-value",
    group: "Enums",
    title: "Rename an enum value",
    edit: (schema) => schema.replace("  paid\n", "  settled\n"),
    class: "impossible-with-data",
    findings: ["ban-enum-value-removal-in-use", "ban-unacknowledged-hazard"],
    statements: [/CREATE TYPE "OrderStatus_new" AS ENUM \('pending', 'settled', 'shipped', 'cancelled'\);/],
    locks: [AE],
    resolve: { acknowledge: "REWRITES_TABLE", data: `UPDATE "Order" SET status = 'shipped' WHERE status = 'paid';` },
    note: "Prisma sees a removal and an addition. Replace the block with ALTER TYPE … RENAME VALUE 'paid' TO 'settled' (instant, no rewrite, the rows keep their meaning); the finding says so.",
  },

  // Tables and schemas
  { id: "add-table", group: "Tables and schemas", title: "Add a table", edit: appendModel("model Coupon {\n  code    String   @id\n  percent Int\n  expires DateTime?\n}"), class: "safe", findings: [], statements: [/CREATE TABLE "Coupon"/], locks: [AE] },
  { id: "drop-table", group: "Tables and schemas", title: "Drop a table", edit: (schema) => schema.replace(/\nmodel Review \{[\s\S]*?\n\}\n/, "\n"), class: "hazard", findings: ["ban-unacknowledged-hazard"], statements: [/DROP TABLE "Review";/], locks: [AE], resolve: { acknowledge: "DELETES_DATA" } },
  {
    id: "rename-table-via-map",
    group: "Tables and schemas",
    title: "Rename a table through @@map",
    edit: addModelAttribute("Brand", '@@map("brands")'),
    class: "expand-contract",
    findings: [],
    statements: [
      /_expand \(up\)[\s\S]*BEGIN;\n[^\n]*\nALTER TABLE "Brand" RENAME TO brands;\nALTER TABLE brands RENAME CONSTRAINT "Brand_pkey" TO brands_pkey;\nALTER SEQUENCE public."Brand_id_seq" RENAME TO brands_id_seq;/,
      /CREATE VIEW "Brand" AS SELECT \* FROM brands;\nCOMMIT;/,
      /_contract \(up\)[\s\S]*-- migrator:contract-of \d+_rename_table_via_map_expand\nDROP VIEW IF EXISTS "Brand";/,
    ],
    locks: [AE, AE],
    online: {
      phases: ["expand", "contract"],
      oldWriter: `INSERT INTO "Brand" (name) VALUES ('through the old name') RETURNING id; UPDATE "Brand" SET name = name || ' (old)' WHERE id = (SELECT min(id) FROM "Brand"); INSERT INTO "Brand" (id, name) VALUES ((SELECT min(id) FROM "Brand"), 'upsert') ON CONFLICT (id) DO UPDATE SET name = excluded.name;`,
      newWriter: `INSERT INTO brands (name) VALUES ('through the new name'); DELETE FROM brands WHERE name = 'through the old name';`,
      outOfStep: `SELECT ((SELECT count(*) FROM (SELECT * FROM "Brand" EXCEPT SELECT * FROM brands) AS only_old) + (SELECT count(*) FROM (SELECT * FROM brands EXCEPT SELECT * FROM "Brand") AS only_new))::int AS n`,
    },
    note: "Prisma drops and creates: the rows are lost. Online, nothing is copied: the expand renames the table and leaves a view of the old name in its place in one short transaction (PostgreSQL writes through a simple view: INSERT … RETURNING, UPDATE, DELETE, ON CONFLICT), and renames the keys and sequences to the names Prisma gives them; the contract drops the view in a later run. `create --plain` writes Prisma's form.",
  },
  {
    id: "new-schema",
    group: "Tables and schemas",
    title: "A new schema in `schemas`",
    edit: (schema) =>
      schema
        .replace('provider = "postgresql"\n}', 'provider = "postgresql"\n  schemas  = ["public", "archive"]\n}')
        .replace(/\n(model \w+ \{[\s\S]*?)\n\}/g, (_, body: string) => `\n${body}\n\n  @@schema("public")\n}`)
        .replace(/\n(enum \w+ \{[\s\S]*?)\n\}/g, (_, body: string) => `\n${body}\n\n  @@schema("public")\n}`)
        .concat('\nmodel ArchivedOrder {\n  id    Int     @id\n  total Decimal @db.Decimal(12, 2)\n\n  @@schema("archive")\n}\n'),
    class: "safe",
    findings: [],
    statements: [/CREATE SCHEMA IF NOT EXISTS "archive";/, /CREATE TABLE "archive"\."ArchivedOrder"/],
    locks: [AE],
  },
  { id: "composite-primary-key", group: "Tables and schemas", title: "A table with a composite primary key", edit: appendModel("model Price {\n  productId Int\n  currency  String @db.Char(3)\n  amount    Decimal @db.Decimal(10, 2)\n\n  @@id([productId, currency])\n}"), class: "safe", findings: [], statements: [/CONSTRAINT "Price_pkey" PRIMARY KEY \("productId","currency"\)/], locks: [AE] },
  { id: "table-with-unique", group: "Tables and schemas", title: "A table with @@unique", edit: appendModel("model Slug {\n  id     Int    @id @default(autoincrement())\n  scope  String\n  value  String\n\n  @@unique([scope, value])\n}"), class: "online-safe", findings: [], statements: [/CREATE TABLE "Slug"/, /CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Slug_scope_value_key" ON "Slug" \(scope, value\);/], locks: [AE, SUE] },
  { id: "autoincrement-on-new-table", group: "Tables and schemas", title: "Autoincrement on a new table", edit: appendModel("model Event {\n  id   Int    @id @default(autoincrement())\n  name String\n}"), class: "safe", findings: [], statements: [/"id" SERIAL NOT NULL/], locks: [AE] },
  {
    id: "autoincrement-on-existing-table",
    group: "Tables and schemas",
    title: "Add an autoincrement column to a table with rows",
    edit: addField("Review", "seq Int @default(autoincrement())"),
    class: "online-safe",
    findings: [],
    statements: [/CREATE SEQUENCE IF NOT EXISTS "Review_seq_seq" AS integer;\n+ALTER TABLE "Review" ADD COLUMN seq integer;/, /UPDATE "Review" SET seq = nextval\('"Review_seq_seq"'::regclass\) WHERE seq IS NULL;/],
    locks: ["NONE", AE, AE, "ROW EXCLUSIVE", AE, SUE],
    locksBefore18: ["NONE", AE, AE, "ROW EXCLUSIVE", AE, SUE, AE],
    note: "Prisma's ADD COLUMN … SERIAL rewrites the table. Online: the sequence, the column without a default, the default, the existing rows numbered by a batched backfill in key order, NOT NULL proven online.",
  },


  // Prisma's workflow
  {
    id: "first-migration",
    group: "Prisma's workflow",
    title: "The first migration of a project (no migrations folder yet)",
    start: "empty",
    edit: (schema) => schema,
    class: "online-safe",
    findings: [],
    statements: [/CREATE TYPE "Role" AS ENUM/, /CREATE TABLE "User"/],
    files: { "migration_lock.toml": /^# Please do not edit this file manually\n# It should be added in your version-control system \(e\.g\., Git\)\nprovider = "postgresql"\n$/ },
    // The enum, then each table with its indexes and, once the tables it points at exist, its foreign keys
    // (added NOT VALID, validated apart): nothing exists yet, so nothing else waits.
    locks: [AE, SUE, SUE, SUE, SUE, SUE, SUE, ...Array.from({ length: 6 }, () => [SRE, SUE]).flat()],
    note: "migration_lock.toml is written with it, as `prisma migrate dev` writes it; a history without one is read as Prisma reads it (provider postgresql).",
  },
  {
    id: "invalid-schema",
    group: "Prisma's workflow",
    title: "A schema that does not validate (a typo in a type)",
    edit: replaceField("User", /name\s+String\?/, "name Strin?"),
    class: "bad-input",
    findings: [],
    statements: [],
    rejects: { code: "prisma.schema-invalid", message: /Type "Strin" is neither a built-in type[\s\S]*schema\.prisma:\d+:\d+|schema\.prisma:\d+:\d+[\s\S]*Type "Strin" is neither a built-in type/ },
    locks: [],
    note: "Prisma's P1012 message with file, line and column, under a stable code; exit 1; nothing is written.",
  },
  {
    id: "trigram-index-hand-made-extension",
    group: "Prisma's workflow",
    title: "A trigram index (ops: raw(\"gin_trgm_ops\")) whose extension is made by hand-written SQL",
    edit: addModelAttribute("Product", '@@index([name(ops: raw("gin_trgm_ops"))], type: Gin)'),
    class: "needs-an-edit",
    findings: ["require-applying-migration"],
    statements: [/CREATE INDEX CONCURRENTLY IF NOT EXISTS "Product_name_idx" ON "Product" USING gin \(name gin_trgm_ops\);/],
    // CREATE EXTENSION (the author's line, no table lock), then the index built CONCURRENTLY.
    locks: [NONE, SUE],
    resolve: { prepend: "CREATE EXTENSION IF NOT EXISTS pg_trgm;" },
    note: "The file is written and the finding names the statement, the error (operator class gin_trgm_ops does not exist) and the fix: CREATE EXTENSION IF NOT EXISTS pg_trgm; at the top, then `pnpm db:migrate:create --check`.",
  },
  {
    id: "drop-unique-backed-by-constraint",
    group: "Prisma's workflow",
    title: "Remove @unique where the database has a UNIQUE constraint (legacy, `db pull`)",
    history: 'DROP INDEX "User_email_key";\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE (email);\n',
    edit: replaceField("User", /email\s+String\s+@unique/, "email String"),
    class: "safe",
    findings: [],
    statements: [/ALTER TABLE "User" DROP CONSTRAINT "User_email_key";/],
    locks: [AE],
    note: "Prisma writes DROP INDEX, which PostgreSQL refuses for a constraint's index; the toolkit drops the constraint, and down.sql builds the index CONCURRENTLY and attaches it as the constraint again.",
  },
  {
    id: "move-primary-key",
    group: "Prisma's workflow",
    title: "Make a primary key composite (@id moved to @@id)",
    edit: pipe(replaceField("Review", /id\s+Int @id @default\(autoincrement\(\)\)/, "id Int @default(autoincrement())"), addModelAttribute("Review", "@@id([id, orderId])")),
    class: "online-safe",
    findings: [],
    statements: [/ALTER TABLE "Review" DROP CONSTRAINT "Review_pkey";/, /CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Review_pkey" ON "Review" \(id, "orderId"\);/, /ADD CONSTRAINT "Review_pkey" PRIMARY KEY USING INDEX "Review_pkey";/],
    locks: [AE, SUE, AE],
    note: "The old key's index is dropped with its constraint; the new one is built CONCURRENTLY and attached (a catalog change). Between the two the table has no primary key: writes go on, uniqueness is not enforced for that moment.",
  },

  // Hand-written SQL
  { id: "check-constraint", group: "Hand-written SQL", title: "A CHECK constraint (no violating rows)", sql: 'ALTER TABLE "Order" ADD CONSTRAINT order_total_positive CHECK (total >= 0);\n', class: "online-safe", findings: [], statements: [/CHECK \(total >= 0\)/], locks: [AE, SUE] },
  {
    id: "check-constraint-violated",
    group: "Hand-written SQL",
    title: "A CHECK constraint that rows violate",
    sql: 'ALTER TABLE "Order" ADD CONSTRAINT order_note_lower CHECK (note = lower(note)) NOT VALID;\nALTER TABLE "Order" VALIDATE CONSTRAINT order_note_lower;\n',
    class: "impossible-with-data",
    findings: ["ban-check-with-violations"],
    statements: [/NOT VALID/],
    locks: [AE, SUE],
    resolve: { data: `UPDATE "Order" SET note = lower(note) WHERE note <> lower(note);` },
    note: "The pre-flight counts the violating rows and names samples before any change: a NOT VALID CHECK left by a failed VALIDATE would already reject the application's writes.",
  },
  { id: "partial-index", group: "Hand-written SQL", title: "A partial index", sql: 'CREATE INDEX order_pending_idx ON "Order" ("createdAt") WHERE status = \'pending\';\n', class: "online-safe", findings: [], statements: [/CREATE INDEX order_pending_idx/], locks: [SUE] },
  { id: "expression-index", group: "Hand-written SQL", title: "An expression index", sql: 'CREATE INDEX user_email_lower_idx ON "User" (lower(email));\n', class: "online-safe", findings: [], statements: [/lower\(email\)/], locks: [SUE] },
];
