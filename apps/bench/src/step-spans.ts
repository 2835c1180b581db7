import type { RunEvent } from "@soleflip/runner";

export interface StepSpan {
  description: string;
  startMs: number;
  endMs: number;
}

/**
 * Records the runner's steps as time spans (performance.now()) from its events, to say which step a write stall
 * overlapped. Spans run one after another: a new one (or a step-done) closes the one that started last.
 */
export function recordStepSpans(spans: StepSpan[]): (event: RunEvent) => void {
  let current: { description: string; startMs: number } | undefined;
  const close = () => {
    if (current) spans.push({ ...current, endMs: performance.now() });
    current = undefined;
  };
  const open = (description: string) => {
    close();
    current = { description, startMs: performance.now() };
  };
  return (event) => {
    // Before the first step: adoption (its baseline built on the scratch server) and the pre-flight, as spans too.
    if (event.type === "adopting") open("adoption (history check, baseline compared)");
    if (event.type === "preflight") open("pre-flight (read-only checks of the data)");
    if (event.type === "step-start") open(event.step.description);
    if (event.type === "step-done") close();
  };
}

/** The spans whose time overlaps [from, to], or where that window fell between them (measured, not guessed). */
export function stallContext(spans: readonly StepSpan[], runStartMs: number, from: number, to: number): string[] {
  const overlapping = spans.filter((step) => step.startMs <= to && step.endMs >= from).map((step) => step.description);
  if (overlapping.length > 0) return overlapping;
  const first = spans[0];
  if (!first || to < first.startMs) return [from < runStartMs ? "before the run" : "at the start (migration lock, history check)"];
  const before = [...spans].reverse().find((step) => step.endMs <= from);
  const after = spans.find((step) => step.startMs >= to);
  if (!after && before && from > (spans.at(-1)?.endMs ?? 0)) return [`after the last step ("${before.description}")`];
  return [`between steps: after "${before?.description ?? "?"}", before "${after?.description ?? "the end of the run"}"`];
}

/** "no change" waits as long as the longest way of its round took (at least `minimumMs`): the same window for the floor. */
export function floorWindowMs(totalsThisRound: readonly number[], minimumMs = 15_000): number {
  return Math.max(minimumMs, ...totalsThisRound);
}
