import { readLockWait, type LockWait } from "@soleflip/catalog";
import type pg from "pg";

export interface LockWaitWatch {
  /** An attempt gave up waiting: watch closely from now on (the next attempts are short). */
  contended(): void;
  /** The last lock wait seen, with who held the lock. */
  lastSeen(): LockWait | undefined;
  stop(): Promise<void>;
}

/**
 * Watches, from the monitor connection, whether the worker waits for a lock and who holds it
 * (pg_blocking_pids). pg_blocking_pids takes the lock manager's locks, so it is not asked every few
 * milliseconds of every step: the first look comes after `firstLookMs` (most steps are done by then),
 * then every `intervalMs`; after an attempt timed out, every `contendedIntervalMs`, to catch the short
 * attempts of the backoff.
 */
export function watchLockWaits(
  monitor: pg.ClientBase | undefined,
  workerPid: number,
  onWait: (wait: LockWait) => void,
  timing: { firstLookMs: number; intervalMs: number; contendedIntervalMs: number } = { firstLookMs: 200, intervalMs: 500, contendedIntervalMs: 10 },
): LockWaitWatch {
  let last: LockWait | undefined;
  let stopped = false;
  let contended = false;
  let wake: () => void = () => undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = async (): Promise<void> => {
    if (!monitor) return;
    await pause(timing.firstLookMs);
    while (!stopped) {
      const wait = await readLockWait(monitor, workerPid).catch(() => undefined);
      if (wait && !stopped) {
        last = wait;
        onWait(wait);
      }
      if (stopped) break;
      await pause(contended ? timing.contendedIntervalMs : timing.intervalMs);
    }
  };
  const running = loop();
  return {
    contended: () => {
      if (!contended) {
        contended = true;
        wake();
      }
    },
    lastSeen: () => last,
    stop: async () => {
      stopped = true;
      wake();
      await running;
    },
  };
}
