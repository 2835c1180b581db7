import { compareMeasurements, type Measurement } from "@soleflip/verification";

const times = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));

/**
 * The words the report uses for a before/after pair: a change in time only where the plan changed and the
 * times are apart (see compareMeasurements), with the ratio's spread; otherwise what is the same. The same
 * data and plans give the same words on every run: only the figures in brackets move.
 */
export function changeWords(before: Measurement, after: Measurement): string {
  const change = compareMeasurements(before, after);
  const { buffers } = change;
  const bufferWords = buffers.before === buffers.after ? `the same ${buffers.after.toLocaleString("en-US")} buffers` : `buffers ${buffers.before.toLocaleString("en-US")} → ${buffers.after.toLocaleString("en-US")}`;
  if (change.plan === "same") return `no change claimed: same plan, ${bufferWords}`;
  if (change.time === "within-spread") return `plan changed; time within the spread`;
  const spread = change.time === "faster" ? `${times(change.ratioLow)}–${times(change.ratioHigh)}×` : `${times(1 / change.ratioHigh)}–${times(1 / change.ratioLow)}×`;
  return change.time === "faster" ? `${times(change.ratio)}× faster [${spread}]; plan changed` : `${times(1 / change.ratio)}× slower [${spread}]; plan changed`;
}

/** The claim alone, without figures: what must read the same on two runs over the same data. */
export function claimOf(before: Measurement, after: Measurement): string {
  const change = compareMeasurements(before, after);
  return change.plan === "same" ? "same plan" : `plan changed, ${change.time}`;
}

/** How the report decides, in one sentence for its method note. */
export const CLAIM_RULE = `A change in time is named only where the plan changed and the interquartile ranges are apart with medians at least 1.25× apart; the bracket is the ratio's spread (quartile against quartile). With the same plan nothing is claimed: before and after were measured minutes apart, not interleaved, so their difference is as likely the machine's as the migration's`;
