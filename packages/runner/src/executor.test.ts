import { connectClient } from "@soleflip/postgres";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXECUTION, executeStep, nextBatchSize } from "./executor.ts";

describe("lock_timeout for statements that block writes", () => {
  it("starts short and backs off: a lock held 150 ms is waited out in attempts of 20, 40, 80 ms…, never one wait of the ceiling", async () => {
    const db = await scratchDatabase("sf_exec_backoff");
    const holder = await connectClient(db.url);
    const worker = await connectClient(db.url);
    try {
      await holder.query("CREATE TABLE t (id int)");
      await holder.query("BEGIN");
      await holder.query("SELECT * FROM t");
      const released = new Promise((resolve) => setTimeout(resolve, 150)).then(() => holder.query("COMMIT"));
      const timeouts: string[] = [];
      const outcome = await executeStep(
        worker,
        { description: "add a column", sql: ["ALTER TABLE t ADD COLUMN x int"], transactional: true, lock: "ACCESS EXCLUSIVE", tables: ["public.t"], hazards: [] },
        { ...DEFAULT_EXECUTION, retryBaseMs: 5, retryMaxMs: 10 },
        { hooks: { before: async () => void timeouts.push((await worker.query<{ t: string }>("SELECT current_setting('lock_timeout') AS t")).rows[0]?.t ?? "") } },
      );
      await released;
      expect(outcome.retries).toBeGreaterThanOrEqual(2);
      expect(timeouts.slice(0, 3)).toEqual(["20ms", "40ms", "80ms"]);
      expect(timeouts.every((t) => Number.parseInt(t, 10) <= DEFAULT_EXECUTION.lockTimeoutMs)).toBe(true);
    } finally {
      await holder.end();
      await worker.end();
    }
  });
});

describe("backfill batches and the application's writes", () => {
  const backfill = {
    description: "backfill t.copy",
    sql: ["UPDATE t SET copy = v"],
    transactional: true,
    lock: "ROW EXCLUSIVE" as const,
    tables: ["public.t"],
    hazards: [],
    batched: {
      table: { schema: "public", table: "t" },
      keyColumn: "id",
      keyType: "int4",
      sql: "UPDATE t SET copy = v WHERE ($1::int4 IS NULL OR id > $1::int4) AND id <= $2::int4",
      boundsSql: "WITH batch AS (SELECT id AS k FROM t WHERE $1::int4 IS NULL OR id > $1::int4 ORDER BY 1 LIMIT $2) SELECT (SELECT k FROM batch ORDER BY k DESC LIMIT 1)::text AS upper, (SELECT count(*) FROM batch) AS n",
      countSql: "SELECT count(*) AS n FROM t WHERE $1::int4 IS NULL OR id > $1::int4",
    },
  };

  it("sees an application write waiting on a batch's row locks, shortens the batches from then on, and reports the longest batch", async () => {
    const db = await scratchDatabase("sf_exec_waited_on");
    const worker = await connectClient(db.url);
    const application = await connectClient(db.url);
    const observer = await connectClient(db.url);
    try {
      await worker.query("CREATE TABLE t (id int PRIMARY KEY, v int, copy int); INSERT INTO t SELECT g, g, NULL FROM generate_series(1, 5000) g");
      let blocked: Promise<unknown> | undefined;
      const outcome = await executeStep(worker, backfill, { ...DEFAULT_EXECUTION, initialBatchSize: 1_000, batchTargetMs: 200 }, {
        hooks: {
          // In the first batch, after its UPDATE: the application writes a row the batch holds, and waits.
          after: async (sql) => {
            if (blocked || !sql.startsWith("UPDATE")) return;
            blocked = application.query("UPDATE t SET v = v + 1 WHERE id = 10");
            for (let i = 0; i < 100; i++) {
              const waiting = await observer.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE t SET v = v + 1%'");
              if (waiting.rows[0]?.n === "1") return;
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            throw new Error("the application's write never waited");
          },
        },
      });
      await blocked;
      expect(outcome.rowsAffected).toBe(5_000);
      expect(outcome.waitedOnBatches).toBe(1);
      expect(outcome.finalBatchTargetMs).toBe(100);
      expect(outcome.longestBatchMs).toBeGreaterThan(0);
      // the application's write went through after the batch, and the trigger-less copy is complete
      const after = await observer.query<{ v: number; behind: string }>("SELECT (SELECT v FROM t WHERE id = 10) AS v, (SELECT count(*) FROM t WHERE copy IS NULL) AS behind");
      expect(after.rows[0]).toEqual({ v: 11, behind: "0" });
    } finally {
      await worker.end();
      await application.end();
      await observer.end();
    }
  });

  it("rests after each batch for --nice-ratio times its duration", async () => {
    const db = await scratchDatabase("sf_exec_nice");
    const worker = await connectClient(db.url);
    try {
      await worker.query("CREATE TABLE t (id int PRIMARY KEY, v int, copy int); INSERT INTO t SELECT g, g, NULL FROM generate_series(1, 3000) g");
      let batchesMs = 0;
      // each batch takes at least 20 ms (its transaction stays open that long), so the rests are measurable against it
      const outcome = await executeStep(worker, backfill, { ...DEFAULT_EXECUTION, initialBatchSize: 1_000, batchTargetMs: 10_000, niceRatio: 3 }, {
        hooks: { after: () => new Promise((resolve) => setTimeout(resolve, 20)) },
        batches: { onBatch: (progress) => void (batchesMs += progress.elapsedMs) },
      });
      expect(outcome.batches).toBe(2);
      expect(outcome.rowsAffected).toBe(3_000);
      expect(outcome.durationMs).toBeGreaterThanOrEqual(batchesMs * 4 * 0.95);
    } finally {
      await worker.end();
    }
  });

  it("grows a batch at most twice per step and never below the target's share", () => {
    expect(nextBatchSize(1_000, 1, 50)).toBe(2_000);
    expect(nextBatchSize(1_000, 400, 50)).toBe(250);
    expect(nextBatchSize(1_000, 50, 50)).toBe(1_000);
    expect(nextBatchSize(80_000, 1, 50)).toBe(100_000);
    expect(nextBatchSize(150, 1_000, 50)).toBe(100);
  });
});
