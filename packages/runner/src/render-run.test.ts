import { describe, expect, it } from "vitest";
import { renderEvent, renderRunText } from "./render-run.ts";
import type { RunLog } from "./run-log.ts";

const log = (overrides: Partial<RunLog>): RunLog => ({
  tool: "soleflip-migrator",
  version: 1,
  database: "postgresql://app:***@db/shop",
  startedAt: "2026-12-07T00:00:00.000Z",
  finishedAt: "2026-12-07T00:00:01.000Z",
  durationMs: 1000,
  dryRun: false,
  outcome: "up-to-date",
  adoptedBaseline: null,
  migrations: [],
  preflight: [],
  structuralDifferences: [],
  invalidIndexesRebuilt: [],
  settings: { lockTimeoutMs: 100, maxRetries: 12 },
  ...overrides,
});

describe("what a run says", () => {
  const waiting = [{ migration: "20261207000002_rename_note_contract", expand: "20261207000000_rename_note_expand", reason: "it drops what the expand keeps for the application's previous version" }];
  it.each([
    ["nothing else to apply", log({ waiting }), "Nothing to apply in this run: 1 migration(s) wait for a later one."],
    ["the expand applied in this run", log({ outcome: "applied", waiting }), "Applied what this run may apply; 1 migration(s) wait for a later run."],
  ])("a contract waiting for a later run: %s", (_, run, outcome) => {
    const text = renderRunText(run);
    expect(text).toContain("waits for a later run: 20261207000002_rename_note_contract: it drops what the expand keeps for the application's previous version.");
    expect(text).toContain(outcome);
    expect(text).not.toContain("up to date");
  });

  it("a pause for the server's load, and the way it ended", () => {
    expect(renderEvent({ type: "load", state: "waiting", reason: "3 session(s) of the application wait for a lock (limit 2)", waitedMs: 5_000 })).toBe("  paused: 3 session(s) of the application wait for a lock (limit 2); waited 5.00 s");
    expect(renderEvent({ type: "load", state: "resumed", reason: "x", waitedMs: 1_250 })).toBe("  resumed after 1.25 s (x)");
    expect(renderEvent({ type: "load", state: "gave-up", reason: "x", waitedMs: 60_000 })).toBe("  went on after 60.00 s of waiting (--max-load): x");
  });

  it("a backfill's batches: the longest, and the ones an application write waited on", () => {
    const step = { description: "backfill", sql: [], lock: "ROW EXCLUSIVE" as const, tables: [], hazards: [], status: "applied" as const, durationMs: 4_200, rowsAffected: 100_000 };
    expect(renderEvent({ type: "step-done", migration: "m", operationId: "o", log: { ...step, batches: 41, longestBatchMs: 61 } })).toBe("    applied in 4.20 s, 100000 row(s) in 41 batches, the longest 61.0 ms");
    expect(renderEvent({ type: "step-done", migration: "m", operationId: "o", log: { ...step, batches: 41, longestBatchMs: 61, waitedOnBatches: 2, finalBatchTargetMs: 12.5 } })).toBe(
      "    applied in 4.20 s, 100000 row(s) in 41 batches, the longest 61.0 ms; application writes waited on 2 (batches then aimed at 12.5 ms)",
    );
  });
});
