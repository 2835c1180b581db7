import { Worker } from "node:worker_threads";
import pg from "pg";
import { parseDatabaseUrl } from "@soleflip/postgres";
import { quantile } from "./stats.ts";
import type { FromWorkload, ToWorkload } from "./workload-thread.ts";

export interface WorkloadResult {
  attempted: number;
  succeeded: number;
  failed: number;
  /** Max latency of any write: from when it was due to when it finished (queueing included). */
  maxMs: number;
  p99Ms: number;
  p50Ms: number;
  errors: string[];
  /** When the longest stall happened, ms after the workload started. */
  worstAtMs: number;
  /** Rows the application inserted (new ids it could take) while the workload ran. */
  inserted: number;
}

/**
 * What the workload writes: SoleFlip's mix (orders, stock, products), or the shop example's (products
 * pointing at categories, products moved between categories, new categories: every write touches the key
 * an Int to BigInt change widens).
 */
export type WorkloadMix = "soleflip" | "shop";

interface Targets {
  stockIds: string[];
  productIds: string[];
  marketplaceId: string;
  categoryIds: string[];
}

/**
 * A steady open-loop write workload like SoleFlip's: at `ratePerSecond`, in turn, a new order, a stock
 * update and an enrichment-style product update. Each write is due at a fixed time; its latency runs
 * from then to its completion, so a write that waits behind a lock (or for a free connection because
 * the others wait) counts the whole wait.
 */
export class WriteWorkload {
  private readonly clients: pg.Client[] = [];
  private readonly idle: pg.Client[] = [];
  private readonly queue: Array<(client: pg.Client) => void> = [];
  private readonly latencies: Array<{ at: number; ms: number }> = [];
  private readonly errors = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private started = 0;
  private attempted = 0;
  private failed = 0;
  private targets: Targets | undefined;

  constructor(
    private readonly url: string,
    private readonly options: { ratePerSecond: number; connections: number; mix?: WorkloadMix } = { ratePerSecond: 100, connections: 8 },
  ) {}

  private inserted = 0;

  async prepare(): Promise<void> {
    const fields = parseDatabaseUrl(this.url);
    for (let i = 0; i < this.options.connections; i++) {
      const client = new pg.Client({ ...fields, application_name: "soleflip-bench-workload" });
      client.on("error", () => undefined);
      await client.connect();
      this.clients.push(client);
      this.idle.push(client);
    }
    const first = this.clients[0] as pg.Client;
    if (this.options.mix === "shop") {
      const products = await first.query<{ id: string }>(`SELECT id FROM "Product" TABLESAMPLE SYSTEM (1) LIMIT 2000`);
      const categories = await first.query<{ id: string }>(`SELECT id FROM "Category" TABLESAMPLE SYSTEM (1) LIMIT 2000`);
      this.targets = { stockIds: [], productIds: products.rows.map((r) => r.id), marketplaceId: "", categoryIds: categories.rows.map((r) => r.id) };
      return;
    }
    const stock = await first.query<{ id: string }>("SELECT id FROM inventory.stock TABLESAMPLE SYSTEM (1) LIMIT 2000");
    const products = await first.query<{ id: string }>("SELECT id FROM catalog.product TABLESAMPLE SYSTEM (1) LIMIT 2000");
    const fallbackStock = stock.rows.length > 0 ? stock.rows : (await first.query<{ id: string }>("SELECT id FROM inventory.stock LIMIT 2000")).rows;
    const fallbackProducts = products.rows.length > 0 ? products.rows : (await first.query<{ id: string }>("SELECT id FROM catalog.product LIMIT 2000")).rows;
    const marketplace = await first.query<{ id: string }>("SELECT id FROM platform.marketplace WHERE slug = 'stockx'");
    this.targets = { stockIds: fallbackStock.map((r) => r.id), productIds: fallbackProducts.map((r) => r.id), marketplaceId: marketplace.rows[0]?.id ?? "", categoryIds: [] };
  }

  /** performance.now() when the workload started: the origin of `worstAtMs`. */
  get startedAt(): number {
    return this.started;
  }

  start(): void {
    this.started = performance.now();
    const interval = 1000 / this.options.ratePerSecond;
    let next = 0;
    const tick = () => {
      const now = performance.now() - this.started;
      while (next <= now) {
        this.dispatch(this.started + next, this.attempted);
        next += interval;
      }
      this.timer = setTimeout(tick, Math.max(1, interval / 2));
    };
    tick();
  }

  private dispatch(dueAt: number, n: number): void {
    this.attempted++;
    const run = (client: pg.Client) => {
      const done = this.write(client, n)
        .then(() => {
          this.latencies.push({ at: dueAt - this.started, ms: performance.now() - dueAt });
        })
        .catch((error: unknown) => {
          this.failed++;
          const message = (error as Error).message;
          this.errors.set(message, (this.errors.get(message) ?? 0) + 1);
        })
        .finally(() => {
          this.inFlight.delete(done);
          const waiting = this.queue.shift();
          if (waiting) waiting(client);
          else this.idle.push(client);
        });
      this.inFlight.add(done);
    };
    const client = this.idle.pop();
    if (client) run(client);
    else this.queue.push(run);
  }

  private write(client: pg.Client, n: number): Promise<unknown> {
    const targets = this.targets as Targets;
    if (this.options.mix === "shop") {
      const category = targets.categoryIds[(n * 13) % Math.max(1, targets.categoryIds.length)];
      const product = targets.productIds[(n * 7) % Math.max(1, targets.productIds.length)];
      const insertedOne = () => this.inserted++;
      switch (n % 3) {
        case 0:
          return client.query(`INSERT INTO "Product" (sku, name, price, "categoryId") VALUES ('B-' || md5(random()::text), 'bench', 1, $1) RETURNING id`, [category]).then(insertedOne);
        case 1:
          return client.query(`UPDATE "Product" SET "categoryId" = $1 WHERE id = $2`, [category, product]);
        default:
          return client.query(`INSERT INTO "Category" (name) VALUES ('bench') RETURNING id`).then(insertedOne);
      }
    }
    const stock = targets.stockIds[n % targets.stockIds.length];
    const product = targets.productIds[(n * 7) % targets.productIds.length];
    switch (n % 3) {
      case 0:
        return client.query(
          `INSERT INTO sales."order" (id, inventory_item_id, stockx_order_number, status, platform_id) VALUES (gen_random_uuid(), $1, 'BENCH-' || gen_random_uuid(), 'PENDING', $2)`,
          [stock, targets.marketplaceId],
        );
      case 1:
        return client.query("UPDATE inventory.stock SET quantity = quantity, updated_at = now() WHERE id = $1", [stock]);
      default:
        return client.query("UPDATE catalog.product SET last_enriched_at = now(), updated_at = now() WHERE id = $1", [product]);
    }
  }

  async stop(): Promise<WorkloadResult> {
    clearTimeout(this.timer);
    while (this.inFlight.size > 0 || this.queue.length > 0) await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 10))]);
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
    const values = this.latencies.map((l) => l.ms);
    const worst = this.latencies.reduce((a, b) => (b.ms > a.ms ? b : a), { at: 0, ms: 0 });
    return {
      attempted: this.attempted,
      succeeded: this.latencies.length,
      failed: this.failed,
      maxMs: Math.round(worst.ms * 10) / 10,
      p99Ms: Math.round(quantile(values, 0.99) * 10) / 10,
      p50Ms: Math.round(quantile(values, 0.5) * 10) / 10,
      errors: [...this.errors.entries()].map(([message, count]) => `${count}× ${message}`).slice(0, 5),
      worstAtMs: Math.round(worst.at),
      inserted: this.inserted,
    };
  }
}

/**
 * The same workload in a worker thread of its own: the bench's main thread also runs the migrator (which
 * parses and plans in JavaScript), and a write must not look stalled because the thread that timed it was
 * busy. In production the application and the migrator are different processes too.
 */
export class WorkloadInThread {
  private readonly worker: Worker;
  private readonly messages: FromWorkload[] = [];
  private waiting: ((message: FromWorkload) => void) | undefined;
  private started = 0;

  constructor(url: string, options: { ratePerSecond: number; connections: number; mix?: WorkloadMix }) {
    this.worker = new Worker(new URL("./workload-worker.mjs", import.meta.url), { workerData: { url, ...options } });
    this.worker.on("message", (message: FromWorkload) => this.deliver(message));
    this.worker.on("error", (error) => this.deliver({ type: "error", message: error.message }));
  }

  private deliver(message: FromWorkload): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(message);
    else this.messages.push(message);
  }

  private async next<T extends FromWorkload["type"]>(type: T): Promise<Extract<FromWorkload, { type: T }>> {
    const message = this.messages.shift() ?? (await new Promise<FromWorkload>((resolve) => (this.waiting = resolve)));
    if (message.type === "error") {
      await this.worker.terminate();
      throw new Error(`the write workload failed: ${message.message}`);
    }
    if (message.type !== type) throw new Error(`the write workload said ${message.type}, expected ${type}`);
    return message as Extract<FromWorkload, { type: T }>;
  }

  async prepare(): Promise<void> {
    await this.next("ready");
  }

  async start(): Promise<void> {
    this.worker.postMessage({ type: "start" } satisfies ToWorkload);
    // the worker's clock has another origin: its start in this thread's performance.now()
    this.started = (await this.next("started")).startedAtEpochMs - performance.timeOrigin;
  }

  /** performance.now() (of this thread) when the workload started: the origin of `worstAtMs`. */
  get startedAt(): number {
    return this.started;
  }

  async stop(): Promise<WorkloadResult> {
    this.worker.postMessage({ type: "stop" } satisfies ToWorkload);
    const { result } = await this.next("result");
    await this.worker.terminate();
    return result;
  }
}
