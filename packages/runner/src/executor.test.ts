import { connectClient } from "@soleflip/postgres";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXECUTION, executeStep } from "./executor.ts";

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
