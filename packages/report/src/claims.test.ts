import type { Measurement } from "@soleflip/verification";
import { describe, expect, it } from "vitest";
import { changeWords, claimOf } from "./claims.ts";

const measured = (median: number, p25: number, p75: number, plan: string, buffers = 81): Measurement => ({
  queryId: "q",
  runsMs: [p25, median, p75],
  medianMs: median,
  minMs: p25,
  maxMs: p75,
  p25Ms: p25,
  p75Ms: p75,
  planningMedianMs: 0.05,
  nodeTypes: [plan],
  indexesUsed: [],
  rows: 50,
  sharedHitBlocks: buffers,
  sharedReadBlocks: 0,
  unusedIndexes: [],
  planShape: plan,
  method: "test",
});

const SEQ = "Limit(Seq Scan on product)";
const INDEX = "Limit(Index Only Scan using idx_product_enrichment_status on product)";

describe("what a before/after pair lets the report claim", () => {
  const cases: Array<{ name: string; before: Measurement; after: Measurement; words: string; claim: string }> = [
    // The case: 2.8× "faster" with the same plan and the same 81 buffers.
    { name: "same plan, same buffers, times apart", before: measured(0.229, 0.225, 0.233, SEQ), after: measured(0.081, 0.08, 0.083, SEQ), words: "no change claimed: same plan, the same 81 buffers", claim: "same plan" },
    { name: "same plan, more buffers after a backfill", before: measured(0.082, 0.08, 0.095, SEQ, 81), after: measured(0.136, 0.135, 0.137, SEQ, 120), words: "no change claimed: same plan, buffers 81 → 120", claim: "same plan" },
    { name: "plan changed, far apart", before: measured(11.32, 11.04, 11.36, SEQ), after: measured(0.049, 0.049, 0.051, INDEX, 4), words: "231× faster [216–232×]; plan changed", claim: "plan changed, faster" },
    { name: "plan changed, overlapping spreads", before: measured(1.0, 0.9, 1.2, SEQ), after: measured(0.95, 0.8, 1.1, INDEX), words: "plan changed; time within the spread", claim: "plan changed, within-spread" },
    { name: "plan changed, apart but under 1.25×", before: measured(1.2, 1.19, 1.21, SEQ), after: measured(1.0, 0.99, 1.01, INDEX), words: "plan changed; time within the spread", claim: "plan changed, within-spread" },
    { name: "plan changed, slower", before: measured(0.129, 0.126, 0.13, SEQ), after: measured(0.3, 0.29, 0.31, INDEX), words: "2.3× slower [2.2–2.5×]; plan changed", claim: "plan changed, slower" },
  ];
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, testCase) => {
    expect(changeWords(testCase.before, testCase.after)).toBe(testCase.words);
    expect(claimOf(testCase.before, testCase.after)).toBe(testCase.claim);
  });
});
