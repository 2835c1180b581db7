import { legacyDatabase } from "@soleflip/db/testing";
import { generateDemoData } from "@soleflip/db/demo";
import { connectClient, withClient } from "@soleflip/postgres";
import { describe, expect, it } from "vitest";
import { WriteWorkload } from "./workload.ts";

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
});
