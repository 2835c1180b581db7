import type { Measurement } from "./explain.ts";

/**
 * What two measurements of one query (before and after a change) allow the report to claim. A change in
 * time is claimed only when the plan changed (a fact, the same every run) and the times are apart: the
 * interquartile ranges do not overlap and the medians differ by at least `MIN_RATIO`. With the same plan
 * nothing is claimed, whatever the times say: before and after were measured minutes apart, not
 * interleaved, so a difference between them is as likely the machine's as the change's.
 */
export const MIN_RATIO = 1.25;

export interface MeasuredChange {
  plan: "same" | "changed";
  time: "faster" | "slower" | "within-spread";
  /** before / after of the medians, and its spread (the ratios of the quartiles, crosswise). */
  ratio: number;
  ratioLow: number;
  ratioHigh: number;
  buffers: { before: number; after: number };
}

const buffersOf = (m: Measurement) => m.sharedHitBlocks + m.sharedReadBlocks;
const shapeOf = (m: Measurement) => m.planShape ?? `${m.nodeTypes.join(" → ")} [${m.indexesUsed.join(", ")}]`;

export function compareMeasurements(before: Measurement, after: Measurement): MeasuredChange {
  const plan = shapeOf(before) === shapeOf(after) ? "same" : "changed";
  const positive = before.medianMs > 0 && after.medianMs > 0 && after.p25Ms > 0 && after.p75Ms > 0;
  const ratio = positive ? before.medianMs / after.medianMs : 1;
  const ratioLow = positive ? before.p25Ms / after.p75Ms : 1;
  const ratioHigh = positive ? before.p75Ms / after.p25Ms : 1;
  const apart = after.p75Ms < before.p25Ms || after.p25Ms > before.p75Ms;
  const large = ratio >= MIN_RATIO || ratio <= 1 / MIN_RATIO;
  const time = plan === "changed" && positive && apart && large ? (ratio > 1 ? "faster" : "slower") : "within-spread";
  return { plan, time, ratio, ratioLow, ratioHigh, buffers: { before: buffersOf(before), after: buffersOf(after) } };
}
