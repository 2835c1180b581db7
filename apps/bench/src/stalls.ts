import { readFile } from "node:fs/promises";
import { generateDemoData } from "@soleflip/db/demo";
import { dbPackagePaths } from "@soleflip/db/paths";
import { createOwnedDatabase, dropOwnedDatabase, recreateOwnedDatabase, renameOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { connectClient } from "@soleflip/postgres";
import { readStandbyLags, runMigrations } from "@soleflip/runner";
import { spread, type Spread } from "./stats.ts";
import { floorWindowMs, recordStepSpans, stallContext, type StepSpan } from "./step-spans.ts";
import { applyUnderWrites, summariseRuns } from "./under-writes.ts";
import type { WorkloadResult } from "./workload.ts";

export type Way = "2025 script" | "Prisma" | "soleflip-migrator" | "no change";
/** "no change" (last, so its window can match the round's longest way) applies nothing: the floor, what the same writes see on this machine anyway. */
export const WAYS: readonly Way[] = ["2025 script", "Prisma", "soleflip-migrator", "no change"];

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
  /** With a streaming standby: the most it fell behind while this way ran (replay lag, WAL not yet replayed). */
  replica?: { maxLagMs: number; maxBytesBehind: number };
  /** The runner's batched backfill (the platform_id repair): rows changed, keys visited, time, batches, the longest batch and how many an application write waited on. */
  backfill?: { rows: number; visited: number; durationMs: number; batches: number; longestBatchMs?: number; waitedOn?: number };
  /** The runner's slowest steps: where its total time went. */
  slowestSteps?: Array<{ step: string; ms: number }>;
}

export interface StallsResult {
  rows: number;
  ratePerSecond: number;
  runs: WayRun[];
  summary: Array<{ way: Way; totalMs: Spread; maxStallMs: Spread; p99Ms: Spread; failedWrites: number; lockWaitMs: Spread | null; retries: Spread | null; maxReplicaLagMs?: Spread }>;
  /** The replica-lag limit the runner waited for (none without a standby). */
  maxReplicaLagMs?: number;
  /** Set when "no change" waited as long as its round's longest way (earlier runs waited a fixed 15 s). */
  floorMatchesLongestWay?: true;
}

const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pre-fix production structure with `rows` orders, stock rows and products, as a template database. */
export async function buildTemplate(adminUrl: string, name: string, rows: number, say: (line: string) => void): Promise<void> {
  // Built under another name and renamed when complete: an interrupted build never passes for a template.
  const building = `${name}_building`;
  await recreateOwnedDatabase(adminUrl, building, "cache");
  const legacy = await readFile(dbPackagePaths.legacySchema, "utf8");
  const started = performance.now();
  await withClient(withDatabase(adminUrl, building), async (client) => {
    await client.query(legacy);
    await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
    await generateDemoData(client, { scale: 1, counts: { products: rows, stock: rows, orders: rows } });
    await client.query("VACUUM ANALYZE");
  });
  await renameOwnedDatabase(adminUrl, building, name, "cache");
  say(`  template ${name}: ${rows.toLocaleString("en-US")} products, stock rows and orders in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

type Applied = { lockWaitMs: number | null; retries: number | null; outcome: string; backfill?: WayRun["backfill"]; slowestSteps?: WayRun["slowestSteps"] };

async function applyWay(way: Way, url: string, scratchAdminUrl: string, steps: StepSpan[], floorMs: number, maxReplicaLagMs?: number): Promise<Applied> {
  if (way === "no change") {
    await sleep(floorMs);
    return { lockWaitMs: null, retries: null, outcome: "nothing applied" };
  }
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
  const log = await runMigrations({
    databaseUrl: url,
    migrationsDir: dbPackagePaths.migrations,
    // adopting the pre-fix database builds its baseline in a scratch database, as `pnpm db:migrate` does by
    // default: on the local embedded server, not on the measured one
    scratchServer: async () => ({ adminUrl: scratchAdminUrl }),
    ...(maxReplicaLagMs ? { maxReplicaLagMs } : {}),
    onEvent: recordStepSpans(steps),
  });
  const logged = log.migrations.flatMap((m) => m.operations.flatMap((o) => o.steps));
  const repair = logged.find((step) => step.batches !== undefined);
  const slowestSteps = log.migrations
    .flatMap((m) => m.operations.flatMap((o) => o.steps.map((step) => ({ step: `${m.name}: ${step.description}`, ms: Math.round(step.durationMs ?? 0) }))))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  return {
    lockWaitMs: Math.round(logged.reduce((sum, s) => sum + (s.lockWaitMs ?? 0), 0)),
    retries: logged.reduce((sum, s) => sum + (s.retries ?? 0), 0),
    outcome: log.outcome,
    slowestSteps,
    ...(repair ? { backfill: { rows: repair.rowsAffected ?? 0, visited: 0, durationMs: Math.round(repair.durationMs ?? 0), batches: repair.batches ?? 0, longestBatchMs: repair.longestBatchMs ?? 0, waitedOn: repair.waitedOnBatches ?? 0 } } : {}),
  };
}

/**
 * Applies the same fix three ways to copies of the same pre-fix database while a steady write workload
 * runs, interleaved over `rounds`, and records total time, the longest write stall, p99 write latency,
 * failed writes, lock waits and retries.
 */
export async function measureStalls(options: { adminUrl: string; scratchAdminUrl: string; template: string; rows: number; rounds: number; ratePerSecond: number; say: (line: string) => void; standby?: boolean; maxReplicaLagMs?: number }): Promise<StallsResult> {
  const runs: WayRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const totalsThisRound: number[] = [];
    for (const way of WAYS) {
      const steps: StepSpan[] = [];
      let lag: ReturnType<typeof watchReplicaLag> | undefined;
      const run = await applyUnderWrites(
        { adminUrl: options.adminUrl, template: options.template, name: "bench_fix_run", ratePerSecond: options.ratePerSecond, ...(options.standby ? { beforeWorkload: () => untilStandbyCaughtUp(options.adminUrl) } : {}) },
        async (url): Promise<Applied> => {
          lag = options.standby ? watchReplicaLag(options.adminUrl) : undefined;
          return applyWay(way, url, options.scratchAdminUrl, steps, floorWindowMs(totalsThisRound), options.standby ? options.maxReplicaLagMs : undefined).catch((error: unknown) => ({ lockWaitMs: null, retries: null, outcome: `failed: ${(error as Error).message}` }));
        },
      );
      const { applied, totalMs, startedAt: started, workload: result } = run;
      totalsThisRound.push(totalMs);
      const replica = await lag?.stop();
      // the longest stall's window, [due, due + latency], against the steps' times (both from performance.now())
      const from = run.workloadStartedAt + result.worstAtMs;
      const to = from + result.maxMs;
      const stalledDuring = stallContext(steps, started, from, to);
      if (applied.backfill) applied.backfill.visited = options.rows;
      runs.push({ way, round, totalMs: Math.round(totalMs), workload: result, ...applied, ...(way === "soleflip-migrator" ? { stalledDuring } : {}), ...(replica ? { replica } : {}) });
      if (replica) options.say(`    replica: at most ${replica.maxLagMs} ms behind, ${(replica.maxBytesBehind / 2 ** 20).toFixed(1)} MiB of WAL not yet replayed`);
      if (applied.backfill) options.say(`    backfill: ${applied.backfill.rows} rows changed, ${options.rows} keys visited in ${applied.backfill.durationMs} ms (${applied.backfill.batches} batches, the longest ${applied.backfill.longestBatchMs ?? "?"} ms, ${applied.backfill.waitedOn ?? 0} waited on)`);
      if (applied.slowestSteps) options.say(`    slowest steps: ${applied.slowestSteps.map((s) => `${s.step} ${s.ms} ms`).join("; ")}`);
      options.say(`  round ${round} ${way}: ${(totalMs / 1000).toFixed(2)} s, longest stall ${result.maxMs} ms, p99 ${result.p99Ms} ms, ${result.failed} failed writes (${applied.outcome})${way === "soleflip-migrator" ? `; the longest stall overlapped: ${stalledDuring.join(" | ") || "no step (between steps)"}` : ""}`);
    }
  }
  const summary = WAYS.map((way) => {
    const of = runs.filter((run) => run.way === way);
    return {
      way,
      ...summariseRuns(of),
      lockWaitMs: of.every((r) => r.lockWaitMs !== null) ? spread(of.map((r) => r.lockWaitMs ?? 0)) : null,
      retries: of.every((r) => r.retries !== null) ? spread(of.map((r) => r.retries ?? 0)) : null,
      ...(of.every((r) => r.replica) ? { maxReplicaLagMs: spread(of.map((r) => r.replica?.maxLagMs ?? 0)) } : {}),
    };
  });
  return { rows: options.rows, ratePerSecond: options.ratePerSecond, runs, summary, floorMatchesLongestWay: true, ...(options.standby && options.maxReplicaLagMs ? { maxReplicaLagMs: options.maxReplicaLagMs } : {}) };
}

/** Samples the standbys' replay lag every 100 ms on its own connection until stopped; returns the worst seen. */
function watchReplicaLag(adminUrl: string): { stop(): Promise<{ maxLagMs: number; maxBytesBehind: number }> } {
  let running = true;
  let maxLagMs = 0;
  let maxBytesBehind = 0;
  const done = (async () => {
    const client = await connectClient(adminUrl, { applicationName: "soleflip-bench-lag" });
    // the server going away (Ctrl-C stops it) ends the sampling; stop() reports what was seen
    client.on("error", () => undefined);
    try {
      while (running) {
        for (const standby of await readStandbyLags(client)) {
          maxLagMs = Math.max(maxLagMs, standby.lagMs ?? 0);
          maxBytesBehind = Math.max(maxBytesBehind, standby.bytesBehind ?? 0);
        }
        await sleep(100);
      }
    } catch {
      running = false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { maxLagMs: Math.round(maxLagMs), maxBytesBehind };
    },
  };
}

/** Waits until every standby has replayed all WAL (so that one way's lag is not the previous one's). */
async function untilStandbyCaughtUp(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    for (let i = 0; i < 1_200; i++) {
      const lags = await readStandbyLags(client);
      if (lags.every((standby) => (standby.bytesBehind ?? 0) <= 0)) return;
      await sleep(250);
    }
  });
}
