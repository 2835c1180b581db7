import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectClient, withClient } from "@soleflip/postgres";
import { afterFile, repositoryRoot, runRootScript, scratchDatabase, signalTree, startRootScript, waitForOutput } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { userEnv } from "./support.ts";

/**
 * kill -9 at any point of an online change converges: Int to BigInt on the shop's Category key and the
 * foreign key of Product referencing it, written by `pnpm db:migrate:create` and applied by `pnpm
 * db:migrate`, killed while its trigger is in place but its backfill has not started, halfway through the
 * backfill, and while the switch waits for its lock. The application keeps writing meanwhile; the next run
 * converges: every row kept, the new and old columns equal, the keys in place.
 */
interface KillPoint {
  name: string;
  /** Migrations applied before the run that is killed (`--to`). */
  before?: "expand";
  /** SQL another session holds in an open transaction to stop the run at the point (released after the kill). */
  hold?: string;
  /** What the run prints once it is there. */
  waitFor: string;
}

const KILL_POINTS: KillPoint[] = [
  { name: "the trigger is created, the backfill not started", hold: `LOCK TABLE "Product" IN SHARE MODE`, waitFor: "waiting:" },
  { name: "the backfill is half done", waitFor: "rows visited" },
  { name: "the switch waits for its lock", before: "expand", hold: `LOCK TABLE "Category" IN ACCESS SHARE MODE`, waitFor: "waiting:" },
];

const CATEGORIES = 10_000;
const PRODUCTS = 60_000;

async function shopProject(): Promise<{ root: string; config: string }> {
  const root = await mkdtemp(join(tmpdir(), "sf-crash-shop-"));
  afterFile(() => rm(root, { recursive: true, force: true }));
  await cp(join(repositoryRoot, "examples", "shop", "prisma"), join(root, "prisma"), { recursive: true });
  await writeFile(join(root, "prisma.config.ts"), 'export default { schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, datasource: { url: process.env["DATABASE_URL"] ?? "" } };\n');
  return { root, config: join(root, "prisma.config.ts") };
}

/** Rows out of step, whichever side of the switch the run stopped on, and the rows there are. */
async function state(url: string): Promise<{ categories: number; products: number; outOfStep: number; switched: boolean }> {
  return withClient(url, async (client) => {
    const switched = (await client.query<{ type: string }>(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = '"Category"'::regclass AND attname = 'id'`)).rows[0]?.type === "bigint";
    const [other, product] = switched ? ["_sf_old_id", "_sf_old_categoryId"] : ["_sf_new_id", "_sf_new_categoryId"];
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? -1);
    return {
      categories: await count(`SELECT count(*) AS n FROM "Category"`),
      products: await count(`SELECT count(*) AS n FROM "Product"`),
      outOfStep:
        (await count(`SELECT count(*) AS n FROM "Category" WHERE "${other}" IS DISTINCT FROM id`)) + (await count(`SELECT count(*) AS n FROM "Product" WHERE "${product}" IS DISTINCT FROM "categoryId"`)),
      switched,
    };
  });
}

describe("kill -9 at any point of an expand converges", () => {
  it.each(KILL_POINTS.map((point) => [point.name, point] as const))("%s", async (_, point) => {
    const project = await shopProject();
    const db = await scratchDatabase("sf_crash_expand");
    const env = userEnv(db.url);
    const migrate = (...args: string[]) => runRootScript("db:migrate", ["--config", project.config, "--no-apply-log", ...args], env);
    expect((await migrate()).exitCode).toBe(0);
    await withClient(db.url, (client) =>
      client.query(
        `INSERT INTO "Category" (name) SELECT 'category ' || g FROM generate_series(1, ${CATEGORIES}) AS g;
         INSERT INTO "Product" (sku, name, price, "categoryId") SELECT 'SKU-' || g, 'product ' || g, 1, 1 + g % ${CATEGORIES} FROM generate_series(1, ${PRODUCTS}) AS g;
         ANALYZE`,
      ),
    );
    const schemaPath = join(project.root, "prisma", "schema.prisma");
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(schemaPath, schema.replace(/(model Category \{\n\s+id\s+)Int/, "$1BigInt").replace(/(categoryId\s+)Int\?/, "$1BigInt?"));
    const created = await runRootScript("db:migrate:create", ["--config", project.config, "--name", "widen_category_id"], env);
    expect(created.exitCode, created.stdout + created.stderr).toBe(0);
    const folders = (await readdir(join(project.root, "prisma", "migrations"))).filter((name) => name.includes("widen_category_id")).sort();
    expect(folders.map((name) => name.replace(/^\d+_/, ""))).toEqual(["widen_category_id_expand", "widen_category_id_switch", "widen_category_id_contract"]);
    if (point.before === "expand") expect((await migrate("--to", folders[0] ?? "")).exitCode).toBe(0);

    const holder = point.hold ? await connectClient(db.url) : undefined;
    if (holder && point.hold) await holder.query(`BEGIN; ${point.hold}`);
    const { child, done } = startRootScript("db:migrate", ["--config", project.config, "--no-apply-log", "--max-retries", "1000"], env);
    await waitForOutput(child, point.waitFor, 120_000);
    signalTree(child, "SIGKILL");
    await done;
    await withClient(db.url, (client) => client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'soleflip-migrator%' AND datname = current_database()"));
    await holder?.query("ROLLBACK");
    await holder?.end();

    // The application goes on writing while the migration is dead: a category, products moved and added.
    await withClient(db.url, (client) =>
      client.query(`INSERT INTO "Category" (name) VALUES ('written after the kill');
        UPDATE "Product" SET "categoryId" = (SELECT max(id) FROM "Category") WHERE id <= 100;
        INSERT INTO "Product" (sku, name, price, "categoryId") VALUES ('AFTER-KILL', 'after the kill', 2, 3);`),
    );
    // The next run, up to the switch (the contract would drop the old columns this checks against).
    const rerun = await migrate("--to", folders[1] ?? "");
    expect(rerun.exitCode, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/widen_category_id_switch: (applied|resumed)/);
    expect(await state(db.url)).toEqual({ categories: CATEGORIES + 1, products: PRODUCTS + 1, outOfStep: 0, switched: true });
    const keys = await withClient(db.url, async (client) => (await client.query<{ name: string; valid: boolean }>(`SELECT conname AS name, convalidated AS valid FROM pg_constraint WHERE conrelid IN ('"Category"'::regclass, '"Product"'::regclass) AND contype IN ('p', 'f') ORDER BY 1`)).rows);
    expect(keys).toEqual([
      { name: "Category_pkey", valid: true },
      { name: "Product_categoryId_fkey", valid: true },
      { name: "Product_pkey", valid: true },
    ]);
    // The contract in the next run; the database then is what the schema says.
    expect((await migrate()).exitCode).toBe(0);
    const verified = await runRootScript("db:verify", ["--config", project.config, "--no-performance", "--check", "columns-match", "indexes-match", "foreign-keys-match", "no-drift"], env);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
  });
});
