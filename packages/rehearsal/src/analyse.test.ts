import { describe, expect, it } from "vitest";
import { analyseObservation } from "./analyse.ts";
import type { LockSample } from "./lock-sampler.ts";
import type { RawObservation, StepRecord } from "./observe.ts";

const WORKER = 100;

function step(overrides: Partial<StepRecord>): StepRecord {
  return {
    migration: "m",
    operationId: "op",
    operationKind: "raw",
    description: "step",
    sql: ["SELECT 1"],
    predictedLock: "ACCESS EXCLUSIVE",
    predictedTables: ["public.a"],
    hazards: [],
    transactional: true,
    startedAt: 0,
    finishedAt: 10,
    statements: [],
    before: {},
    after: {},
    walBefore: 0,
    walAfter: 0,
    filenodesBefore: {},
    filenodesAfter: {},
    status: "applied",
    rowsAffected: undefined,
    ...overrides,
  };
}

const state = (relfilenode: number, bytes: number, ownedSequences: string[] = []) => ({ kind: "r", relfilenode, bytes, ownedSequences });
const held = (at: number, relation: string, mode: LockSample["mode"], extra: Partial<LockSample> = {}): LockSample => ({ at, pid: WORKER, relation, kind: "r", mode, granted: true, ...extra });

function raw(steps: StepRecord[], samples: LockSample[], writes: RawObservation["writes"] = []): RawObservation {
  return { origin: 0, workerPid: WORKER, steps, samples, writes, sampleReads: samples.length, load: writes.length > 0 };
}

describe("analyseObservation", () => {
  it("a lock stronger than predicted on a listed table, or one that blocks writes on an unlisted table, is a mismatch; weaker ones and the runner's own tables are not", () => {
    const summary = analyseObservation(
      raw(
        [step({ predictedLock: "SHARE UPDATE EXCLUSIVE", predictedTables: ["public.a", "public.b"] })],
        [
          held(2, "public.a", "ACCESS EXCLUSIVE"),
          held(3, "public.b", "ACCESS SHARE"),
          held(4, "public.c", "SHARE"),
          held(4, "public.d", "ROW SHARE"),
          held(5, "public._prisma_migrations", "ROW EXCLUSIVE"),
          held(5, "public.a_pkey", "ACCESS EXCLUSIVE", { kind: "i" }),
        ],
      ),
    );
    expect(summary.steps[0]?.mismatches).toEqual([
      "held ACCESS EXCLUSIVE on public.a; the plan predicted SHARE UPDATE EXCLUSIVE",
      "held SHARE on public.c, which the plan does not list",
    ]);
    expect(summary.steps[0]?.locks.map((l) => l.relation)).toEqual(["public.a", "public.b", "public.c", "public.d"]);
  });

  it("a lock on a sequence a listed table owns is the table's (DROP TABLE drops it too)", () => {
    const summary = analyseObservation(
      raw(
        [step({ predictedLock: "ACCESS EXCLUSIVE", predictedTables: ["public.a"], before: { "public.a": state(1, 0, ["public.a_id_seq"]) } })],
        [held(2, "public.a", "ACCESS EXCLUSIVE"), held(2, "public.a_id_seq", "ACCESS EXCLUSIVE", { kind: "S" }), held(2, "public.other_seq", "ACCESS EXCLUSIVE", { kind: "S" })],
      ),
    );
    expect(summary.steps[0]?.mismatches).toEqual(["held ACCESS EXCLUSIVE on public.other_seq, which the plan does not list"]);
  });

  it("a transactional step holds its locks from its statement's start to its commit", () => {
    const summary = analyseObservation(
      raw([step({ startedAt: 10, finishedAt: 50, statements: [{ sql: "x", startedAt: 12, finishedAt: 40, ok: true, rows: 0 }] })], [held(41, "public.a", "ACCESS EXCLUSIVE")]),
    );
    expect(summary.steps[0]?.locks).toEqual([{ relation: "public.a", mode: "ACCESS EXCLUSIVE", fromMs: 12, toMs: 50 }]);
  });

  it("a write is blocked only when its writer was seen waiting for a lock, and counts for the step it overlapped most", () => {
    const first = step({ operationId: "first", startedAt: 0, finishedAt: 100 });
    const second = step({ operationId: "second", startedAt: 100, finishedAt: 110 });
    const summary = analyseObservation(
      raw(
        [first, second],
        [held(50, "public.a", "ROW EXCLUSIVE", { pid: 7, granted: false })],
        [
          { table: "public.a", pid: 7, startedAt: 20, finishedAt: 104 },
          // slow but never waiting for a lock: not blocked
          { table: "public.a", pid: 8, startedAt: 20, finishedAt: 90 },
          { table: "public.a", pid: 7, startedAt: 104, finishedAt: 105 },
        ],
      ),
    );
    expect(summary.steps.map((s) => s.writesBlocked)).toEqual([
      { count: 1, longestMs: 84, tables: ["public.a"] },
      { count: 0, longestMs: 0, tables: [] },
    ]);
    expect(summary.load.blockedWrites).toBe(1);
  });

  it("a new relfilenode is a rewrite, named by the plan or not; sizes add up across kept, new and dropped tables", () => {
    const summary = analyseObservation(
      raw(
        [
          step({
            predictedTables: ["public.a", "public.b", "public.c"],
            before: { "public.a": state(1, 1000), "public.b": state(2, 500), "public.a_id_seq": { ...state(4, 8192), kind: "S" } },
            after: { "public.a": state(9, 1200), "public.c": state(3, 50), "public.a_id_seq": { ...state(5, 8192), kind: "S" } },
            walBefore: 1000,
            walAfter: 5000,
            // public.z is rewritten although the plan does not name it; public.c is new
            filenodesBefore: { "public.a": 1, "public.b": 2, "public.z": 7 },
            filenodesAfter: { "public.a": 9, "public.c": 3, "public.z": 8 },
          }),
        ],
        [],
      ),
    );
    expect(summary.steps[0]).toMatchObject({ rewrites: ["public.a", "public.z"], sizeDeltaBytes: 200 - 500 + 50, walBytes: 4000 });
  });
});
