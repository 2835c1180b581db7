import pg from "pg";
import { parseDatabaseUrl } from "@soleflip/postgres";
import { quoteQualified } from "@soleflip/sql";

/** One synthetic write: when it was sent and when it finished (performance.now()). */
export interface WriteAttempt {
  table: string;
  /** The writer's backend. */
  pid: number;
  startedAt: number;
  finishedAt: number;
  error?: string;
}

/**
 * The synthetic write load: per touched table, writers that each take the lock every INSERT, UPDATE
 * and DELETE takes (ROW EXCLUSIVE) once per interval, in a transaction of their own. They queue behind
 * a migration's locks exactly as the application's writes would, but change no row and write no WAL,
 * so the WAL and size figures of each statement are the statement's own. Row-level waits (a batched
 * repair's rows) are not seen this way; batches are bounded by their own time target instead.
 */
export class WriteProbes {
  private readonly attempts: WriteAttempt[] = [];
  private readonly clients: pg.Client[] = [];
  private loops: Array<Promise<void>> = [];
  private running = false;
  readonly pids: number[] = [];

  constructor(
    private readonly url: string,
    private readonly tables: ReadonlyArray<{ schema: string; table: string }>,
    private readonly options: { writersPerTable: number; intervalMs: number },
  ) {}

  async start(): Promise<void> {
    const fields = parseDatabaseUrl(this.url);
    this.running = true;
    for (const table of this.tables) {
      for (let i = 0; i < this.options.writersPerTable; i++) {
        const client = new pg.Client({ ...fields, application_name: "soleflip-rehearsal-writer" });
        client.on("error", () => undefined);
        await client.connect();
        this.clients.push(client);
        const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
        this.pids.push(pid);
        const name = `${table.schema}.${table.table}`;
        // One round trip: the simple protocol runs the three statements as one message.
        const sql = `BEGIN; LOCK TABLE ${quoteQualified(table.schema, table.table)} IN ROW EXCLUSIVE MODE; COMMIT`;
        // Writers of one table start out of phase, so that together they probe every interval/writers ms.
        const offset = (this.options.intervalMs / this.options.writersPerTable) * i;
        this.loops.push(this.write(client, pid, name, sql, offset));
      }
    }
  }

  private async write(client: pg.Client, pid: number, table: string, sql: string, offsetMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, offsetMs));
    while (this.running) {
      const startedAt = performance.now();
      try {
        await client.query(sql);
        this.attempts.push({ table, pid, startedAt, finishedAt: performance.now() });
      } catch (error) {
        this.attempts.push({ table, pid, startedAt, finishedAt: performance.now(), error: (error as Error).message });
        await client.query("ROLLBACK").catch(() => undefined);
      }
      const next = startedAt + this.options.intervalMs - performance.now();
      if (next > 0) await new Promise((resolve) => setTimeout(resolve, next));
    }
  }

  async stop(): Promise<WriteAttempt[]> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
    return this.attempts;
  }
}
