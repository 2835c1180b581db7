import type pg from "pg";
import type { Step } from "@soleflip/planner";

export interface ProgressSample {
  elapsedMs: number;
  phase?: string;
  /** 0..1 when PostgreSQL reports a total. */
  fraction?: number;
  waitingForLock: boolean;
}

/**
 * Watches a long step from a second connection: pg_stat_progress_create_index for index builds,
 * pg_stat_activity (lock waits, elapsed time) for validations. Returns a stop function.
 */
export function watchProgress(
  monitor: pg.ClientBase | undefined,
  workerPid: number,
  step: Step,
  onSample: (sample: ProgressSample) => void,
  intervalMs = 500,
): () => Promise<void> {
  if (!monitor || !step.progress) return async () => undefined;
  const started = performance.now();
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const sampleOnce = async (): Promise<void> => {
    const activity = await monitor.query<{ waiting: boolean }>(
      "SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1",
      [workerPid],
    );
    const sample: ProgressSample = { elapsedMs: performance.now() - started, waitingForLock: activity.rows[0]?.waiting === true };
    if (step.progress?.kind === "index-build") {
      const progress = await monitor.query<{ phase: string; blocks_done: string; blocks_total: string; tuples_done: string; tuples_total: string }>(
        "SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total FROM pg_stat_progress_create_index WHERE pid = $1",
        [workerPid],
      );
      const row = progress.rows[0];
      if (row) {
        sample.phase = row.phase;
        const blocksTotal = Number(row.blocks_total);
        const tuplesTotal = Number(row.tuples_total);
        if (blocksTotal > 0) sample.fraction = Number(row.blocks_done) / blocksTotal;
        else if (tuplesTotal > 0) sample.fraction = Number(row.tuples_done) / tuplesTotal;
      }
    }
    if (!stopped) onSample(sample);
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(sampleOnce).catch(() => undefined);
  }, intervalMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await inFlight;
  };
}
