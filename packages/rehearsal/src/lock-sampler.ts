import type pg from "pg";
import type { LockMode } from "@soleflip/planner";
import { lockModeOf } from "./lock-modes.ts";
import { rehearsalSql } from "./load-sql.ts";

/** One relation lock seen on the migration's backend. `at` is performance.now() when the read returned. */
export interface LockSample {
  at: number;
  pid: number;
  relation: string;
  /** pg_class.relkind: r table, p partitioned table, i index, S sequence, … */
  kind: string;
  mode: LockMode;
  granted: boolean;
}

/** The locks `pid` holds or waits for, and the ones `waiters` wait for. */
export async function readHeldLocks(client: pg.ClientBase, pid: number, waiters: readonly number[] = []): Promise<LockSample[]> {
  // Named: parsed and planned once per connection, then only executed (it runs hundreds of times a second).
  const { rows } = await client.query<{ pid: number; schema: string; name: string; kind: string; mode: string; granted: boolean }>({ name: "soleflip-held-locks", text: rehearsalSql("held-locks"), values: [pid, waiters] });
  const at = performance.now();
  return rows.flatMap((row) => {
    const mode = lockModeOf(row.mode);
    return mode ? [{ at, pid: row.pid, relation: `${row.schema}.${row.name}`, kind: row.kind, mode, granted: row.granted }] : [];
  });
}

/**
 * Reads pg_locks for one backend (and the lock waits of the synthetic writers) every `intervalMs` on its
 * own connection, until stopped. A lock held
 * for at least the interval (plus one read, well under a millisecond locally) is seen; shorter ones are
 * caught by the read the observer makes after each statement, while its transaction still holds them.
 */
export class LockSampler {
  private readonly samples: LockSample[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  reads = 0;
  /**
   * Read back to back until this time (performance.now()): a statement outside a transaction (CREATE or
   * DROP INDEX CONCURRENTLY) drops its locks when it ends, so the read after it cannot see them, and some
   * end within a few milliseconds. Longer ones are seen at the normal interval after that.
   */
  burstUntil = 0;
  private active = false;
  private wake: (() => void) | undefined;

  /** Reads only while a step runs. */
  setActive(active: boolean): void {
    this.active = active;
    if (active) {
      this.wake?.();
      this.wake = undefined;
    }
  }

  constructor(
    private readonly client: pg.ClientBase,
    private readonly pid: number,
    private readonly intervalMs: number,
    /** The synthetic writers' backends, whose lock waits are read too (they join as tables are loaded). */
    private readonly waiters: () => readonly number[] = () => [],
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        if (!this.active) {
          // Between steps there is nothing of the migration's to see: wait, without reading.
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        try {
          this.samples.push(...(await readHeldLocks(this.client, this.pid, this.waiters())));
          this.reads++;
        } catch {
          // A failed read (the connection cancelled or closing) loses one sample, not the rehearsal.
        }
        await new Promise((resolve) => (performance.now() < this.burstUntil ? setImmediate(resolve) : setTimeout(resolve, this.intervalMs)));
      }
    })();
  }

  /** Adds locks read elsewhere (the read after each statement). */
  add(samples: readonly LockSample[]): void {
    this.samples.push(...samples);
  }

  async stop(): Promise<LockSample[]> {
    this.running = false;
    this.wake?.();
    await this.loop;
    return this.samples;
  }
}
