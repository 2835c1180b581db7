import { connectClient, withClient } from "@soleflip/postgres";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { loadGate, readLoad, type LoadEvent } from "./load-gate.ts";

describe("the load gate (--max-load)", () => {
  it("waits while the application's sessions queue for a lock, says so live, and goes on once they are served", async () => {
    const db = await scratchDatabase("sf_load_gate");
    await withClient(db.url, (client) => client.query("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)"));
    const holder = await connectClient(db.url, { applicationName: "app-holder" });
    await holder.query("BEGIN; UPDATE t SET id = id WHERE id = 1");
    const waiters = await Promise.all([1, 2, 3].map(() => connectClient(db.url, { applicationName: "app-writer" })));
    const pending = waiters.map((w) => w.query("UPDATE t SET id = id WHERE id = 1"));
    const monitor = await connectClient(db.url, { applicationName: "soleflip-migrator-monitor" });
    try {
      for (let i = 0; i < 50 && (await readLoad(monitor)).lockWaiters < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await readLoad(monitor)).toMatchObject({ lockWaiters: 3 });
      const events: LoadEvent[] = [];
      const gate = loadGate(monitor, { maxLockWaiters: 1, maxActiveSessions: 100, maxSlowdown: 4, maxWaitMs: 30_000, pollMs: 50, reportEveryMs: 100 }, (event) => events.push(event));
      const waited = gate.wait();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(events.at(0)).toMatchObject({ state: "waiting", reason: "3 session(s) of the application wait for a lock (limit 1)" });
      await holder.query("ROLLBACK");
      await Promise.all(pending);
      await waited;
      expect(events.at(-1)).toMatchObject({ state: "resumed" });
      expect(gate.pauses()).toEqual([expect.objectContaining({ reason: "3 session(s) of the application wait for a lock (limit 1)", waitedMs: expect.any(Number) })]);
      expect(gate.pauses()[0]?.waitedMs).toBeGreaterThanOrEqual(300);
    } finally {
      await holder.end();
      for (const waiter of waiters) await waiter.end();
      await monitor.end();
    }
  });

  it("cools down once when its own batch runs far slower per row than its first ones; goes on after the longest wait", async () => {
    const db = await scratchDatabase("sf_load_slow");
    const monitor = await connectClient(db.url, { applicationName: "soleflip-migrator-monitor" });
    try {
      const events: LoadEvent[] = [];
      const gate = loadGate(monitor, { maxLockWaiters: 10, maxActiveSessions: 100, maxSlowdown: 3, maxWaitMs: 30_000 }, (event) => events.push(event));
      for (const elapsedMs of [10, 11, 12, 12]) gate.observeBatch({ elapsedMs, batchSize: 1000 });
      await gate.wait();
      expect(events).toEqual([]);
      gate.observeBatch({ elapsedMs: 60, batchSize: 1000 });
      await gate.wait();
      expect(events.map((e) => e.state)).toEqual(["waiting", "resumed"]);
      expect(events[0]?.reason).toMatch(/the last batch took 5\.5× the time per row of the first ones \(limit 3×\)/);
      // Timed afresh: the same slow batch does not pause twice.
      await gate.wait();
      expect(events).toHaveLength(2);
      // Another step's batches (another table's rows, dearer per row) are timed against that step's first ones.
      for (const elapsedMs of [60, 66, 70, 72]) gate.observeBatch({ elapsedMs, batchSize: 1000, step: "the next backfill" });
      await gate.wait();
      expect(events).toHaveLength(2);
      // A load that does not pass: the run goes on after the longest wait, and says so.
      await withClient(db.url, (client) => client.query("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)"));
      const holder = await connectClient(db.url, { applicationName: "app-holder" });
      await holder.query("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
      const waiters = await Promise.all([1, 2].map(() => connectClient(db.url, { applicationName: "app-reader" })));
      const pending = waiters.map((w) => w.query("SELECT * FROM t"));
      try {
        for (let i = 0; i < 50 && (await readLoad(monitor)).lockWaiters < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        const blocked = loadGate(monitor, { maxLockWaiters: 1, maxActiveSessions: 100, maxSlowdown: 3, maxWaitMs: 300, pollMs: 50 }, (event) => events.push(event));
        await blocked.wait();
        expect(events.at(-1)).toMatchObject({ state: "gave-up", reason: "2 session(s) of the application wait for a lock (limit 1)" });
        expect(blocked.pauses()[0]?.reason).toMatch(/went on after 0 s/);
      } finally {
        await holder.query("ROLLBACK");
        await Promise.all(pending);
        await holder.end();
        for (const waiter of waiters) await waiter.end();
      }
    } finally {
      await monitor.end();
    }
  });
});
