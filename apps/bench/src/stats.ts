import { quantile as sortedQuantile } from "@soleflip/verification";

export function quantile(values: readonly number[], q: number): number {
  return sortedQuantile([...values].sort((a, b) => a - b), q);
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: readonly number[]): Spread {
  return { median: round(quantile(values, 0.5)), min: round(Math.min(...values)), max: round(Math.max(...values)), runs: values.map(round) };
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
