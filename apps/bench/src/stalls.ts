import { readFile } from "node:fs/promises";
import { generateDemoData } from "@soleflip/db/demo";
import { dbPackagePaths } from "@soleflip/db/paths";
import { createOwnedDatabase, dropOwnedDatabase, recreateOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { runMigrations } from "@soleflip/runner";
import { spread, type Spread } from "./stats.ts";
import { WriteWorkload, type WorkloadResult } from "./workload.ts";

export type Way = "2025 script" | "Prisma" | "soleflip-migrator";
export const WAYS: readonly Way[] = ["2025 script", "Prisma", "soleflip-migrator"];

export interface WayRun {
  way: Way;
  round: number;
  totalMs: number;
  workload: WorkloadResult;
  lockWaitMs: number | null;
  retries: number | null;
  outcome: string;
  /** The runner's steps whose time overlaps the longest stall (measured, not guessed): where it came from. */
  stalledDuring?: string[];
}

export interface StallsResult {
  rows: number;
  ratePerSecond: number;
  runs: WayRun[];
  summary: Array<{ way: Way; totalMs: Spread; maxStallMs: Spread; p99Ms: Spread; failedWrites: number; lockWaitMs: Spread | null; retries: Spread | null }>;
}

const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pre-fix production structure with `rows` orders, stock rows and products, as a template database. */
export async function buildTemplate(adminUrl: string, name: string, rows: number, say: (line: string) => void): Promise<void> {
  await recreateOwnedDatabase(adminUrl, name, "cache");
  const legacy = await readFile(dbPackagePaths.legacySchema, "utf8");
  const started = performance.now();
  await withClient(withDatabase(adminUrl, name), async (client) => {
    await client.query(legacy);
    await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
    await generateDemoData(client, { scale: 1, counts: { products: rows, stock: rows, orders: rows } });
    await client.query("VACUUM ANALYZE");
  });
  say(`  template ${name}: ${rows.toLocaleString("en-US")} products, stock rows and orders in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

interface StepSpan {
  description: string;
  startMs: number;
  endMs: number;
}

async function applyWay(way: Way, url: string, steps: StepSpan[] = []): Promise<{ lockWaitMs: number | null; retries: number | null; outcome: string }> {
  if (way === "2025 script") {
    await withClient(url, async (client) => client.query(await fixture("fix-2025.sql")));
    return { lockWaitMs: null, retries: null, outcome: "applied" };
  }
  if (way === "Prisma") {
    // As Prisma applies a migration file: the whole script as one simple query (one implicit transaction).
    await withClient(url, async (client) => {
      await client.query(await fixture("fix-prisma.sql"));
      await client.query(await fixture("indexes-prisma.sql"));
    });
    return { lockWaitMs: null, retries: null, outcome: "applied" };
  }
  // Steps run one after another: each step-done closes the step that started last.
  let current: { description: string; startMs: number } | undefined;
  const log = await runMigrations({
    databaseUrl: url,
    migrationsDir: dbPackagePaths.migrations,
    onEvent: (event) => {
      if (event.type === "step-start") current = { description: event.step.description, startMs: performance.now() };
      if (event.type === "step-done" && current) {
        steps.push({ ...current, endMs: performance.now() });
        current = undefined;
      }
    },
  });
  const logged = log.migrations.flatMap((m) => m.operations.flatMap((o) => o.steps));
  return {
    lockWaitMs: Math.round(logged.reduce((sum, s) => sum + (s.lockWaitMs ?? 0), 0)),
    retries: logged.reduce((sum, s) => sum + (s.retries ?? 0), 0),
    outcome: log.outcome,
  };
}

/**
 * Applies the same fix three ways to copies of the same pre-fix database while a steady write workload
 * runs, interleaved over `rounds`, and records total time, the longest write stall, p99 write latency,
 * failed writes, lock waits and retries.
 */
export async function measureStalls(options: { adminUrl: string; template: string; rows: number; rounds: number; ratePerSecond: number; say: (line: string) => void }): Promise<StallsResult> {
  const runs: WayRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const way of WAYS) {
      const name = "bench_fix_run";
      await dropOwnedDatabase(options.adminUrl, name);
      await createOwnedDatabase(options.adminUrl, name, "scratch", { template: options.template });
      const url = withDatabase(options.adminUrl, name);
      const workload = new WriteWorkload(url, { ratePerSecond: options.ratePerSecond, connections: 8 });
      await workload.prepare();
      workload.start();
      await sleep(2_000);
      const started = performance.now();
      let applied: Awaited<ReturnType<typeof applyWay>>;
      const steps: StepSpan[] = [];
      try {
        applied = await applyWay(way, url, steps);
      } catch (error) {
        applied = { lockWaitMs: null, retries: null, outcome: `failed: ${(error as Error).message}` };
      }
      const totalMs = performance.now() - started;
      await sleep(2_000);
      const result = await workload.stop();
      // the longest stall's window, [due, due + latency], against the steps' times (both from performance.now())
      const from = workload.startedAt + result.worstAtMs;
      const to = from + result.maxMs;
      const stalledDuring = steps.filter((step) => step.startMs <= to && step.endMs >= from).map((step) => step.description);
      runs.push({ way, round, totalMs: Math.round(totalMs), workload: result, ...applied, ...(way === "soleflip-migrator" ? { stalledDuring } : {}) });
      options.say(`  round ${round} ${way}: ${(totalMs / 1000).toFixed(2)} s, longest stall ${result.maxMs} ms, p99 ${result.p99Ms} ms, ${result.failed} failed writes (${applied.outcome})${way === "soleflip-migrator" ? `; the longest stall overlapped: ${stalledDuring.join(" | ") || "no step (between steps)"}` : ""}`);
      await dropOwnedDatabase(options.adminUrl, name);
    }
  }
  const summary = WAYS.map((way) => {
    const of = runs.filter((run) => run.way === way);
    return {
      way,
      totalMs: spread(of.map((r) => r.totalMs)),
      maxStallMs: spread(of.map((r) => r.workload.maxMs)),
      p99Ms: spread(of.map((r) => r.workload.p99Ms)),
      failedWrites: of.reduce((sum, r) => sum + r.workload.failed, 0),
      lockWaitMs: of.every((r) => r.lockWaitMs !== null) ? spread(of.map((r) => r.lockWaitMs ?? 0)) : null,
      retries: of.every((r) => r.retries !== null) ? spread(of.map((r) => r.retries ?? 0)) : null,
    };
  });
  return { rows: options.rows, ratePerSecond: options.ratePerSecond, runs, summary };
}
