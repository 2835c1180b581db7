import { appendFile } from "node:fs/promises";
import { runDbPrisma } from "@soleflip/db";
import { legacyDatabase, migratedDatabase, tableFingerprints } from "@soleflip/db/testing";
import { generateDemoData } from "@soleflip/db/demo";
import { connectClient, withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, scratchDatabase, signalTree, startRootScript, waitForOutput } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { MIGRATION_LOCK_KEY } from "../src/advisory-lock.ts";
import { historyRows, legacyRows, migrate, migrationsCopy, query, snapshot } from "./helpers.ts";

describe("applying safely", () => {
  it("lets only one runner apply at a time: a second one waits, then gives up clearly, changing nothing", async () => {
    const db = await scratchDatabase("sf_safe_lock");
    const holder = await connectClient(db.url);
    await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await expect(migrate(db.url, { lockWaitMs: 1_000 })).rejects.toMatchObject({ code: "migrator.lock.timeout" });
    expect(await query(db.url, "SELECT to_regclass('public._prisma_migrations') AS t")).toEqual([{ t: null }]);
    await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    await holder.end();

    const [a, b] = await Promise.all([migrate(db.url, { lockWaitMs: 60_000 }), migrate(db.url, { lockWaitMs: 60_000 })]);
    expect([a.outcome, b.outcome].sort()).toEqual(["applied", "up-to-date"]);
    expect((await historyRows(db.url)).length).toBe(3);
  });

  it("waits behind a long write transaction with short lock timeouts, retrying with backoff, and says so in the apply log", async () => {
    const url = await legacyDatabase("sf_safe_retry", legacyRows);
    const writer = await connectClient(url);
    await writer.query("BEGIN");
    await writer.query(`UPDATE sales."order" SET status = status WHERE id = '00000000-0000-0000-0000-000000000401'`);
    // The writer commits 1.5 s after the step that needs its lock has started (not after the run has: on a
    // busy machine adoption and pre-flight may take most of that time).
    let release: Promise<void> | undefined;
    const log = await migrate(url, {
      execution: { lockTimeoutMs: 100, maxRetries: 30 },
      onEvent: (event) => {
        if (event.type === "step-start" && event.operationId === "ensure-foreign-key:sales.order.order_inventory_item_id_fkey" && !release) {
          release = new Promise<void>((resolve) => setTimeout(() => void writer.query("COMMIT").then(() => writer.end()).then(() => resolve()), 1_500));
        }
      },
    });
    await release;
    expect(log.outcome).toBe("applied");
    const first = log.migrations.find((m) => m.name.endsWith("fix_foreign_keys_and_nullability"))?.operations.find((op) => op.operationId === "ensure-foreign-key:sales.order.order_inventory_item_id_fkey");
    const addStep = first?.steps[0];
    expect(addStep?.description).toContain("NOT VALID");
    expect(addStep?.retries).toBeGreaterThan(2);
    // attempts of 20, 40, 80, 100 ms… with backoff between them, until the writer committed after 1.5 s
    expect(addStep?.lockWaitMs).toBeGreaterThan(100);
  });

  it("gives up after its bounded retries, leaving the run resumable", async () => {
    const url = await legacyDatabase("sf_safe_giveup", legacyRows);
    const writer = await connectClient(url);
    await writer.query("BEGIN");
    await writer.query(`UPDATE sales."order" SET status = status WHERE id = '00000000-0000-0000-0000-000000000401'`);
    const log = await migrate(url, { execution: { lockTimeoutMs: 50, maxRetries: 2, retryBaseMs: 10 } });
    await writer.query("ROLLBACK");
    await writer.end();
    expect(log.outcome).toBe("failed");
    const failed = log.migrations.flatMap((m) => m.operations).find((op) => op.outcome === "failed");
    expect(failed?.steps.find((s) => s.status === "failed")?.error).toContain("gave up after 3 attempts with lock_timeout 50 ms");
    expect((await migrate(url)).outcome).toBe("applied");
  });

  it("survives being killed midway (process and connections): the re-run rebuilds the INVALID index and completes, no row lost", async () => {
    const url = await legacyDatabase("sf_safe_kill", legacyRows);
    const rowsBefore = await tableFingerprints(url);
    // An open snapshot makes CREATE INDEX CONCURRENTLY wait after it has created its (INVALID) index entry.
    const reader = await connectClient(url);
    await reader.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await reader.query("SELECT count(*) FROM catalog.brand");

    const { child, done } = startRootScript("db:migrate", ["--no-apply-log"], { DATABASE_URL: url, SHADOW_DATABASE_URL: adminDatabaseUrl() });
    await waitForOutput(child, "build idx_product_description_null CONCURRENTLY");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    signalTree(child, "SIGKILL");
    await done;
    await query(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'soleflip-migrator%' AND datname = current_database()");
    await reader.query("ROLLBACK");
    await reader.end();

    const invalid = await query(url, "SELECT indexrelid::regclass::text AS name FROM pg_index WHERE NOT indisvalid");
    expect(invalid).toEqual([{ name: "catalog.idx_product_description_null" }]);
    expect((await historyRows(url)).map((row) => [row.migration_name.slice(15), row.finished])).toEqual([
      ["baseline", true],
      ["fix_foreign_keys_and_nullability", true],
      ["enrichment_partial_indexes", false],
    ]);

    const rerun = await migrate(url);
    expect(rerun.outcome).toBe("applied");
    expect(rerun.migrations.at(-1)).toMatchObject({ status: "resumed" });
    const index = rerun.migrations.at(-1)?.operations.find((op) => op.operationId === "ensure-index:catalog.idx_product_description_null");
    expect(index?.found).toContain("INVALID");
    expect(await snapshot(url)).toEqual(await snapshot(await migratedDatabase("sf_safe_kill_ref")));
    expect(await tableFingerprints(url)).toEqual(rowsBefore);
    const status = await runDbPrisma(["migrate", "status"], url);
    expect(status.stdout).toContain("Database schema is up to date!");
  });

  it("a backfill killed between batches resumes after its last journaled key, with progress and an ETA", async () => {
    const url = await legacyDatabase("sf_safe_backfill");
    await withClient(url, (client) => generateDemoData(client, { scale: 1, counts: { products: 2_000, stock: 100_000, orders: 100_000 } }));
    const missing = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM sales."order" WHERE platform_id IS NULL`);
    expect(missing[0]?.n).toBeGreaterThan(1_000);

    const { child, done } = startRootScript("db:migrate", ["--no-apply-log"], { DATABASE_URL: url, SHADOW_DATABASE_URL: adminDatabaseUrl() });
    await waitForOutput(child, "rows visited");
    signalTree(child, "SIGKILL");
    const killed = await done;
    expect(killed.stderr).toMatch(/… [\d,]+ row\(s\) repaired; [\d,]+ of 100,000 rows visited \(\d+%\), about \d+ (s|min \d+ s) left \(batch of \d+, \d+ ms\)/);
    await query(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'soleflip-migrator%' AND datname = current_database()");
    const repairedBeforeKill = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM sales."order" WHERE platform_id IS NULL`);
    expect(repairedBeforeKill[0]?.n).toBeLessThan(missing[0]?.n ?? 0);

    const batches: Array<{ visited: number; total: number }> = [];
    const rerun = await migrate(url, { onEvent: (event) => (event.type === "batch" ? batches.push({ visited: event.visited, total: event.total }) : undefined) });
    expect(rerun.outcome).toBe("applied");
    // it started after the journaled key: fewer than all rows were left to visit, and it visited them all
    expect(batches[0]?.total).toBeLessThan(100_000);
    expect(batches.at(-1)?.visited).toBe(batches[0]?.total);
    expect(await query(url, `SELECT count(*)::int AS n FROM sales."order" WHERE platform_id IS NULL AND stockx_order_number IS NOT NULL`)).toEqual([{ n: 0 }]);
  });

  it("rebuilds an index of an applied migration that was left INVALID", async () => {
    const db = await scratchDatabase("sf_safe_invalid");
    await migrate(db.url);
    await query(db.url, "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'catalog.idx_product_enrichment_status'::regclass");
    const dry = await migrate(db.url, { dryRun: true });
    expect(dry.invalidIndexesRebuilt).toEqual(["catalog.idx_product_enrichment_status"]);
    const log = await migrate(db.url);
    expect(log.invalidIndexesRebuilt).toEqual(["catalog.idx_product_enrichment_status"]);
    expect(await query(db.url, "SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid")).toEqual([{ n: 0 }]);
  });

  it("refuses to run when an applied migration was edited since, changing nothing", async () => {
    const db = await scratchDatabase("sf_safe_edited");
    const migrations = await migrationsCopy();
    await migrate(db.url, { migrationsDir: migrations });
    await appendFile(`${migrations}/20251117000100_fix_foreign_keys_and_nullability/migration.sql`, "\n-- tweaked later\n");
    const before = await snapshot(db.url);
    await expect(migrate(db.url, { migrationsDir: migrations })).rejects.toMatchObject({
      code: "migrator.history.edited",
      summary: expect.stringContaining("20251117000100_fix_foreign_keys_and_nullability was edited after it was applied"),
    });
    expect(await snapshot(db.url)).toEqual(before);
  });
});
