import { createOwnedDatabase, dropOwnedDatabase, withDatabase } from "@soleflip/postgres";
import { spread, type Spread } from "./stats.ts";
import { WorkloadInThread, type WorkloadMix, type WorkloadResult } from "./workload.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface UnderWrites<T> {
  applied: T;
  /** How long `apply` took. */
  totalMs: number;
  /** performance.now() when `apply` started, and when the workload did (the origin of its `worstAtMs`). */
  startedAt: number;
  workloadStartedAt: number;
  workload: WorkloadResult;
}

/**
 * One way of a benchmark: a fresh copy of the template (dropped after), a steady open-loop write workload in a
 * thread of its own on it from 2 s before `apply` to 2 s after, and what `apply` returned.
 */
export async function applyUnderWrites<T>(
  options: { adminUrl: string; template: string; name: string; ratePerSecond: number; mix?: WorkloadMix; beforeWorkload?: () => Promise<void> },
  apply: (url: string) => Promise<T>,
): Promise<UnderWrites<T>> {
  await dropOwnedDatabase(options.adminUrl, options.name);
  await createOwnedDatabase(options.adminUrl, options.name, "scratch", { template: options.template, fileCopy: true });
  try {
    await options.beforeWorkload?.();
    const url = withDatabase(options.adminUrl, options.name);
    const workload = new WorkloadInThread(url, { ratePerSecond: options.ratePerSecond, connections: 8, ...(options.mix ? { mix: options.mix } : {}) });
    await workload.prepare();
    await workload.start();
    await sleep(2_000);
    const startedAt = performance.now();
    const applied = await apply(url);
    const totalMs = performance.now() - startedAt;
    await sleep(2_000);
    const result = await workload.stop();
    return { applied, totalMs, startedAt, workloadStartedAt: workload.startedAt, workload: result };
  } finally {
    await dropOwnedDatabase(options.adminUrl, options.name);
  }
}

/** What every way's runs come to: total time, longest stall and p99 (medians with the spread), failed writes. */
export function summariseRuns(runs: ReadonlyArray<{ totalMs: number; workload: WorkloadResult }>): { totalMs: Spread; maxStallMs: Spread; p99Ms: Spread; failedWrites: number } {
  return {
    totalMs: spread(runs.map((r) => r.totalMs)),
    maxStallMs: spread(runs.map((r) => r.workload.maxMs)),
    p99Ms: spread(runs.map((r) => r.workload.p99Ms)),
    failedWrites: runs.reduce((sum, r) => sum + r.workload.failed, 0),
  };
}
