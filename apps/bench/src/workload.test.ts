import { legacyDatabase } from "@soleflip/db/testing";
import { generateDemoData } from "@soleflip/db/demo";
import { connectClient, withClient } from "@soleflip/postgres";
import { describe, expect, it } from "vitest";
import { WorkloadInThread, WriteWorkload } from "./workload.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the write workload measures stalls", () => {
  it("a statement that blocks writes for 1 s shows up as a stall of about 1 s, and nothing else does", async () => {
    const url = await legacyDatabase("sf_bench_workload");
    await withClient(url, (client) => generateDemoData(client, { scale: 0.5 }));
    const quiet = new WriteWorkload(url, { ratePerSecond: 100, connections: 4 });
    await quiet.prepare();
    quiet.start();
    await sleep(1_500);
    const calm = await quiet.stop();
    expect(calm.failed).toBe(0);
    expect(calm.succeeded).toBeGreaterThan(120);
    expect(calm.maxMs).toBeLessThan(300);

    const workload = new WriteWorkload(url, { ratePerSecond: 100, connections: 4 });
    await workload.prepare();
    workload.start();
    await sleep(500);
    const blocker = await connectClient(url);
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE inventory.stock IN SHARE MODE"); // blocks the stock updates (and the order inserts' FK checks do not need it)
    await sleep(1_000);
    await blocker.query("COMMIT");
    await blocker.end();
    await sleep(500);
    const result = await workload.stop();
    expect(result.failed).toBe(0);
    expect(result.maxMs).toBeGreaterThan(900);
    expect(result.maxMs).toBeLessThan(1_500);
    expect(result.worstAtMs).toBeGreaterThan(400);
    expect(result.worstAtMs).toBeLessThan(1_000);
  });

  it("in its own thread, a busy main thread is not a stall: 600 ms of blocking JavaScript here leaves the writes on time", async () => {
    const url = await legacyDatabase("sf_bench_workload_thread");
    await withClient(url, (client) => generateDemoData(client, { scale: 0.5 }));
    const workload = new WorkloadInThread(url, { ratePerSecond: 100, connections: 4 });
    await workload.prepare();
    await workload.start();
    const startedHere = performance.now();
    expect(Math.abs(workload.startedAt - startedHere)).toBeLessThan(1_000);
    await sleep(300);
    const busyUntil = performance.now() + 600;
    while (performance.now() < busyUntil) {
      // the main thread does nothing else, as a migrator parsing a long baseline would
    }
    await sleep(300);
    const result = await workload.stop();
    expect(result.failed).toBe(0);
    expect(result.succeeded).toBeGreaterThan(100);
    expect(result.maxMs).toBeLessThan(300);

    // the same blocking with the workload on this thread: every write due meanwhile looks 600 ms late
    const sameThread = new WriteWorkload(url, { ratePerSecond: 100, connections: 4 });
    await sameThread.prepare();
    sameThread.start();
    await sleep(300);
    const blockedUntil = performance.now() + 600;
    while (performance.now() < blockedUntil) {
      // blocking
    }
    await sleep(300);
    expect((await sameThread.stop()).maxMs).toBeGreaterThan(500);
  });
});
