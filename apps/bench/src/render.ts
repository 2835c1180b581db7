import type { EnrichmentCase } from "./enrichment.ts";
import type { CreatePaceBench } from "./create-pace.ts";
import type { CreateTimeBench } from "./create-time.ts";
import type { ObservationBench } from "./observation.ts";
import type { StallsResult, WayRun } from "./stalls.ts";
import type { VerifierScalingCase } from "./verifier-scaling.ts";
import type { RenameResult } from "./rename.ts";
import type { WidenResult, WidenRun } from "./widen.ts";

export interface BenchmarkResults {
  generatedAt: string;
  /** When, and with which command, each part was last measured (a run with --only keeps the other parts). */
  measured?: Partial<Record<"stalls" | "stallsLarge" | "enrichment" | "verifier" | "observation" | "create" | "pace" | "widen" | "widenLarge" | "rename", { at: string; command: string }>>;
  command: string;
  machine: { cpus: string; cores: number; memoryGiB: number; os: string; node: string; postgres: string };
  stalls?: StallsResult | undefined;
  /** The same ways at 10,000,000 rows per table (with a streaming standby unless --no-standby). */
  stallsLarge?: StallsResult | undefined;
  enrichment?: EnrichmentCase[] | undefined;
  verifier?: VerifierScalingCase[] | undefined;
  observation?: ObservationBench | undefined;
  create?: CreateTimeBench | undefined;
  pace?: CreatePaceBench | undefined;
  /** Int to BigInt on a referenced primary key under writes: Prisma's SQL, the plain form, expand/contract. */
  widen?: WidenResult | undefined;
  widenLarge?: WidenResult | undefined;
  /** A column renamed under two application versions writing at once, checked row by row. */
  rename?: RenameResult | undefined;
}

const n = (value: number) => value.toLocaleString("en-US");
const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
const msSpread = (spread: { median: number; min: number; max: number }) => `${n(Math.round(spread.median))} [${n(Math.round(spread.min))}–${n(Math.round(spread.max))}]`;

function measuredLine(results: BenchmarkResults, part: keyof NonNullable<BenchmarkResults["measured"]>): string {
  const run = results.measured?.[part] ?? { at: results.generatedAt, command: results.command };
  return `_Measured ${run.at} with \`${run.command}\`._`;
}

/** A section's first lines: its title and the run that measured it. */
function sectionHead(results: BenchmarkResults, title: string, part: keyof NonNullable<BenchmarkResults["measured"]>): string[] {
  return [title, "", measuredLine(results, part), ""];
}

function targetLine(ok: boolean, text: string): string {
  return `${ok ? "✅ met" : "❌ missed"}: ${text}`;
}

function stallsSection(results: BenchmarkResults, stalls: StallsResult, part: "stalls" | "stallsLarge", title: string): string[] {
  const lines: string[] = [];
  const get = (way: string) => stalls.summary.find((s) => s.way === way);
  const old = get("2025 script");
  const ours = get("soleflip-migrator");
  const floor = get("no change");
  const withReplica = stalls.summary.every((s) => s.maxReplicaLagMs);
  const rounds = Math.max(...stalls.runs.map((r) => r.round));
  lines.push(
    title,
    "",
    measuredLine(results, part),
    "",
    `Pre-fix production structure with ${n(stalls.rows)} orders, ${n(stalls.rows)} stock rows and ${n(stalls.rows)} products (demo-data generator), copied from one template database for every run. A steady open-loop workload of ${stalls.ratePerSecond} writes/s (in turn: insert into \`sales."order"\`, update of \`inventory.stock\`, enrichment-style update of \`catalog.product\`) over 8 connections runs from 2 s before to 2 s after the fix. A write's latency runs from when it was due to when it finished. The ways ran interleaved, ${rounds} round${rounds === 1 ? "" : "s"}; medians with [min–max].${floor ? ` "no change" applies nothing for ${stalls.floorMatchesLongestWay ? `as long as the round's longest way took (at least 15 s; median ${(floor.totalMs.median / 1000).toFixed(0)} s)` : `${(floor.totalMs.median / 1000).toFixed(0)} s (a fixed window in this run, shorter than the runner's)`}: the floor, the longest write this machine gives the same workload anyway${stalls.floorMatchesLongestWay ? " in a window as long" : ""}.` : ""} The workload runs in a thread of its own, so JavaScript the runner runs (parsing, planning) does not pass for a stall. The runner adopts the pre-fix database by comparing it with its baseline, built in a scratch database where \`pnpm db:migrate\` builds it by default: on the local embedded PostgreSQL (the same machine and disk here), not on the measured server.${withReplica ? ` A streaming hot standby of the server replays everything (each way starts once it has caught up); its replay lag is sampled every 100 ms, and the runner waits before long steps and batches while it is more than ${n(stalls.maxReplicaLagMs ?? 0)} ms behind.` : " No streaming standby in this run (`--no-standby`: a standby is a copy of the whole bench server and replays every run's copy of the template, twice the disk this machine has at this size); replica lag is measured at 1,000,000 rows."}`,
    "",
    row(["way", "total time, s", "longest write stall, ms", "p99 write latency, ms", "failed writes", "lock waits, ms", "retries", ...(withReplica ? ["max replica lag, ms"] : [])]),
    row(["---", "---", "---", "---", "---", "---", "---", ...(withReplica ? ["---"] : [])]),
    ...stalls.summary.map((s) =>
      row([
        s.way,
        `${(s.totalMs.median / 1000).toFixed(2)} [${(s.totalMs.min / 1000).toFixed(2)}–${(s.totalMs.max / 1000).toFixed(2)}]`,
        `${s.maxStallMs.median} [${s.maxStallMs.min}–${s.maxStallMs.max}]`,
        `${s.p99Ms.median} [${s.p99Ms.min}–${s.p99Ms.max}]`,
        s.failedWrites,
        s.way === "no change" ? "–" : s.lockWaitMs ? `${s.lockWaitMs.median} [${s.lockWaitMs.min}–${s.lockWaitMs.max}]` : "n/a (no lock_timeout: waits until granted)",
        s.way === "no change" ? "–" : s.retries ? `${s.retries.median} [${s.retries.min}–${s.retries.max}]` : "n/a",
        ...(withReplica && s.maxReplicaLagMs ? [`${s.maxReplicaLagMs.median} [${s.maxReplicaLagMs.min}–${s.maxReplicaLagMs.max}]`] : []),
      ]),
    ),
    "",
  );
  const runnerRuns = stalls.runs.filter((r) => r.way === "soleflip-migrator");
  const during = runnerRuns.map((r) => `${r.workload.maxMs} ms: ${r.stalledDuring?.length ? r.stalledDuring.join(" + ") : "?"}`);
  if (during.length > 0 && runnerRuns.some((r) => r.stalledDuring)) {
    lines.push(
      `Where the runner's longest stall happened, per round (the spans whose time overlaps it, or where it fell between them): ${during.join("; ")}.${ours && ours.lockWaitMs?.max === 0 ? " The runner waited for no lock and retried nothing: these writes did not queue behind its locks." : ""}${floor ? ` With nothing applied, the same writes' longest took ${floor.maxStallMs.median} ms [${floor.maxStallMs.min}–${floor.maxStallMs.max}] (${results.machine.cores} cores and one disk${withReplica ? " shared with the standby's replay" : ""}).` : ""}`,
      "",
    );
  }
  const backfills = runnerRuns.flatMap((r) => (r.backfill ? [r.backfill] : []));
  if (backfills.length > 0) {
    const b = backfills[Math.floor(backfills.length / 2)] as NonNullable<(typeof backfills)[number]>;
    const seconds = Math.max(b.durationMs, 1) / 1000;
    const longest = b.longestBatchMs !== undefined ? `, the longest batch ${b.longestBatchMs} ms, ${b.waitedOn ?? 0} waited on by an application write` : "";
    lines.push(`Backfill (the declared platform_id repair, keyset batches to a time target): ${n(b.rows)} rows changed, ${n(b.visited)} keys visited in ${seconds.toFixed(2)} s over ${n(b.batches)} batches${longest}, ${n(Math.round(b.visited / seconds))} keys/s, ${n(Math.round(b.rows / seconds))} rows changed/s.`, "");
  }
  const withSteps = runnerRuns.filter((r) => r.slowestSteps && r.slowestSteps.length > 0);
  if (withSteps.length > 0) {
    const median = [...withSteps].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(withSteps.length / 2)] as WayRun;
    lines.push(`Where the runner's time went (its ${withSteps.length === 1 ? "" : "median "}run, ${(median.totalMs / 1000).toFixed(2)} s in all, the slowest steps): ${(median.slowestSteps ?? []).map((s) => `${s.step.replaceAll("|", "\\|")}: ${(s.ms / 1000).toFixed(2)} s`).join("; ")}.`, "");
  }
  if (old && ours) {
    const ratio = old.maxStallMs.median / Math.max(ours.maxStallMs.median, 0.001);
    lines.push(
      "Targets:",
      "",
      `- ${targetLine(ratio >= 100, `longest stall at least 100× shorter than the 2025 way's: ${ratio.toFixed(1)}× (${old.maxStallMs.median} ms vs ${ours.maxStallMs.median} ms)`)}`,
      ...(floor
        ? [`- the runner's longest stall against the floor (nothing applied): ${ours.maxStallMs.median} ms vs ${floor.maxStallMs.median} ms; the 2025 way's against it: ${(old.maxStallMs.median / Math.max(floor.maxStallMs.median, 0.001)).toFixed(1)}× the floor, the runner's: ${(ours.maxStallMs.median / Math.max(floor.maxStallMs.median, 0.001)).toFixed(2)}×`]
        : []),
      `- ${targetLine(ours.maxStallMs.median < 150, `longest stall under 150 ms: ${ours.maxStallMs.median} ms`)}`,
      `- ${targetLine(ours.failedWrites === 0, `no failed writes: ${ours.failedWrites}`)}`,
      `- ${targetLine(ours.totalMs.median <= 2 * old.totalMs.median, `total time at most 2× the 2025 way's: ${(ours.totalMs.median / old.totalMs.median).toFixed(2)}× (${(ours.totalMs.median / 1000).toFixed(2)} s vs ${(old.totalMs.median / 1000).toFixed(2)} s; ours includes adopting the baseline, which builds it in a scratch database)`)}`,
      ...(withReplica && ours.maxReplicaLagMs && stalls.maxReplicaLagMs
        ? [`- ${targetLine(ours.maxReplicaLagMs.max <= stalls.maxReplicaLagMs, `the standby stays within ${n(stalls.maxReplicaLagMs)} ms while the runner runs: at most ${n(ours.maxReplicaLagMs.max)} ms (a statement already running cannot be paused; the runner waits before the next)`)}`]
        : []),
      "",
    );
  }
  return lines;
}

function widenSection(results: BenchmarkResults, widen: WidenResult, part: "widen" | "widenLarge", title: string): string[] {
  const get = (way: string) => widen.summary.find((s) => s.way === way);
  const onlineWays = widen.summary.filter((s) => s.way.startsWith("expand/contract"));
  const floor = get("no change");
  const rounds = Math.max(...widen.runs.map((r) => r.round));
  const lines = [
    ...sectionHead(results, title, part),
    `The shop example (\`examples/shop\`) with ${n(widen.rows)} categories and ${n(widen.rows)} products; \`Category.id\` (the primary key) and \`Product.categoryId\` (its foreign key) go from Int to BigInt. A steady open-loop workload of ${widen.ratePerSecond} writes/s over 8 connections, in a thread of its own (in turn: a product inserted into a category, a product moved to another category, a category inserted: every write touches the key), runs from 2 s before to 2 s after each way. "Prisma's SQL" is \`prisma migrate dev\`'s file run as \`prisma migrate deploy\` runs it (one script); "plain, acknowledged" is \`create --plain\` (Prisma's form made to apply: a rewrite of both tables) with its hazard acknowledged, through the runner; "expand/contract" is \`create\`'s default (expand and switch in one run, the contract in the next, both counted)${widen.runs.some((r) => r.batches) ? `, with the default batch time (50 ms, halved down to 10 ms once an application write is seen waiting on a batch)` : ""}${get("expand/contract, --batch-time 15") ? `; "expand/contract, --batch-time 15" is the same with 15 ms batches from the start` : ""}${get("expand/contract, --nice-ratio 1") ? `; "expand/contract, --nice-ratio 1" rests after each batch as long as the batch took (gh-ost's nice-ratio)` : ""}. The workload is open-loop (writes fall due at a fixed rate whatever happens), so "rows the application inserted" follows the window's length: what it shows is that every insert due in the window completed${widen.summary.every((s) => s.failedWrites === 0) ? " (no write failed)" : ""}, late by at most the longest stall. ${rounds} round${rounds === 1 ? "" : "s"}, interleaved; medians with [min–max].`,
    "",
    row(["way", "total time, s", "longest write stall, ms", "p99 write latency, ms", "failed writes", "rows the application inserted", "outcome"]),
    row(["---", "---", "---", "---", "---", "---", "---"]),
    ...widen.summary.map((s) => row([s.way, `${(s.totalMs.median / 1000).toFixed(2)} [${(s.totalMs.min / 1000).toFixed(2)}–${(s.totalMs.max / 1000).toFixed(2)}]`, `${s.maxStallMs.median} [${s.maxStallMs.min}–${s.maxStallMs.max}]`, `${s.p99Ms.median} [${s.p99Ms.min}–${s.p99Ms.max}]`, s.failedWrites, msSpread(s.inserted), s.outcome.replaceAll("|", "\\|").slice(0, 200)])),
    "",
  ];
  for (const online of onlineWays) {
    const onlineRuns = widen.runs.filter((r) => r.way === online.way && r.stalledDuring);
    if (onlineRuns.length === 0) continue;
    const batches = (r: WidenRun) => (r.batches ? ` (${n(r.batches.count)} batches, the longest ${r.batches.longestMs} ms, ${r.batches.waitedOn} waited on by an application write)` : "");
    lines.push(`Where "${online.way}"'s longest stall happened, per round (the runner's steps whose time overlaps it, or where it fell between them): ${onlineRuns.map((r) => `${r.workload.maxMs} ms: ${r.stalledDuring?.join(" + ") ?? "?"}${batches(r)}`).join("; ")}.`, "");
  }
  if (floor) lines.push(`"no change" applies nothing for as long as the round's longest way took: the floor, what the same writes see on this machine anyway.`, "");
  if (onlineWays.length > 0 && floor) {
    lines.push("Targets:", "");
    for (const online of onlineWays) {
      lines.push(
        `- ${targetLine(online.maxStallMs.median <= 1.3 * floor.maxStallMs.median, `"${online.way}": the longest stall at most 1.3× the floor: ${online.maxStallMs.median} ms vs ${floor.maxStallMs.median} ms (${(online.maxStallMs.median / Math.max(floor.maxStallMs.median, 0.001)).toFixed(2)}×)`)}`,
        `- ${targetLine(online.failedWrites === 0, `"${online.way}": no failed writes: ${online.failedWrites}`)}`,
      );
    }
    lines.push("");
  }
  return lines;
}

export function renderBenchmarks(results: BenchmarkResults): string {
  const lines = [
    "# Benchmarks",
    "",
    `Measured on ${results.machine.cores} cores (${results.machine.cpus}), ${results.machine.memoryGiB} GiB, ${results.machine.os}, Node ${results.machine.node}, PostgreSQL ${results.machine.postgres} (embedded, default settings, fsync on). The same numbers are in \`benchmarks/results.json\`. Each section names the run that measured it (\`npx pnpm@12.4.2 bench\` runs them all; \`--only <part>\` one, keeping the others); every figure in a section comes from that run.`,
    "",
  ];
  if (results.stalls) lines.push(...stallsSection(results, results.stalls, "stalls", "## 1. Write stalls while the 2025-11-17 fix is applied"));
  if (results.stallsLarge) lines.push(...stallsSection(results, results.stallsLarge, "stallsLarge", `## 1b. The same at ${n(results.stallsLarge.rows)} rows per table${results.stallsLarge.summary.every((s) => s.maxReplicaLagMs) ? ", with a streaming standby" : ""}`));
  if (results.enrichment) {
    lines.push(
      "## 2. The enrichment query, before and after the partial indexes",
      "",
      measuredLine(results, "enrichment"),
      "",
      "Server-side execution time (EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)), median of the measured runs after warm-up; [p25–p75]. \"backlog\" is the demo data's share of products needing enrichment; \"0.5%\" the steady state once the job keeps up. The indexes were built CONCURRENTLY and the table analysed between before and after.",
      "",
      row(["products", "needing enrichment", "query", "before, ms", "after, ms", "speed-up", "plan after", "indexes used"]),
      row(["---", "---", "---", "---", "---", "---", "---", "---"]),
      ...results.enrichment.map((c) =>
        row([n(c.products), `${n(c.needing)} (${c.share})`, c.query, `${c.before.medianMs} [${c.before.p25Ms}–${c.before.p75Ms}]`, `${c.after.medianMs} [${c.after.p25Ms}–${c.after.p75Ms}]`, `${c.speedup}×`, c.after.nodeTypes.join(" → "), c.after.indexesUsed.join(", ") || "none"]),
      ),
      "",
    );
    const target = results.enrichment.find((c) => c.products === 1_000_000 && c.share === "0.5%" && c.query === "enrichment-job-filter");
    if (target) lines.push(`Target: ${targetLine(target.speedup >= 20, `the job's filter at 1,000,000 products and 0.5% at least 20× faster: ${target.speedup}×`)}`, "");
    const unhelped = results.enrichment.filter((c) => c.after.indexesUsed.every((i) => !i.startsWith("idx_product_")));
    if (unhelped.length > 0) {
      lines.push("Where the indexes do not help, and why:", "");
      for (const c of unhelped) {
        const why =
          c.query === "enrichment-api-query"
            ? "its predicate also has `sku IS NULL OR sku = ''`, which no partial index's predicate implies, and LIMIT 50 without ORDER BY is satisfied by the first rows a sequential scan meets"
            : c.products < 10_000
              ? "the table fits in a few pages: a sequential scan is cheaper than any index"
              : "so many rows qualify (the backlog) that reading the whole table sequentially is cheaper than an index";
        lines.push(`- ${n(c.products)} products, ${c.share}, ${c.query}: plan ${c.after.nodeTypes.join(" → ")}; ${why}.`);
      }
      lines.push("");
    }
  }
  if (results.verifier) {
    const base = results.verifier[0];
    lines.push(
      "## 3. The verifier",
      "",
      measuredLine(results, "verifier"),
      "",
      "Full `verifyDatabase` (expected state built with Prisma's engine in a scratch database, every check, both drift diffs) on the migrated SoleFlip database with demo data, then with extra tables (each with a primary key, a foreign key and an index) in its `catalog` schema.",
      "",
      row(["extra tables", "total, ms (median [min–max])", "queries on the verified database"]),
      row(["---", "---", "---"]),
      ...results.verifier.map((c) => row([n(c.extraTables), `${c.totalMs.median} [${c.totalMs.min}–${c.totalMs.max}]`, c.queriesIssued])),
      "",
    );
    const thousand = results.verifier.find((c) => c.extraTables === 1000);
    if (base) lines.push(`- ${targetLine(base.totalMs.median < 2000, `under 2 s for SoleFlip: ${base.totalMs.median} ms`)}`);
    if (thousand) lines.push(`- ${targetLine(thousand.totalMs.median < 10_000, `under 10 s with 1,000 extra tables: ${thousand.totalMs.median} ms`)}`);
    if (base) lines.push(`- ${targetLine(results.verifier.every((c) => c.queriesIssued === base.queriesIssued), `the number of queries does not grow with the number of tables: ${results.verifier.map((c) => c.queriesIssued).join(", ")}`)}`);
    lines.push("");
  }
  const observation = results.observation;
  if (observation) {
    const { accuracy, overhead } = observation;
    const seen = accuracy.filter((c) => c.observedAsDocumented).length;
    const wrongPredictions = accuracy.filter((c) => c.underPredicted);
    const missed = accuracy.filter((c) => c.missed);
    const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
    const observedOverhead = ratio(overhead.observedMs.median, overhead.plainMs.median) - 1;
    const loadOverhead = ratio(overhead.observedWithLoadMs.median, overhead.plainMs.median) - 1;
    lines.push(
      "## 4. The observed rehearsal",
      "",
      measuredLine(results, "observation"),
      "",
      `Each statement below ran as a migration through \`observeMigrations\` on a table of ${n(observation.rows)} rows, under the synthetic writers (2 per touched table, one write every 10 ms each). "documented" is the lock PostgreSQL's documentation gives for the statement and whether it rewrites the table; "predicted" the strongest lock the plan names for the table; "observed" the strongest lock seen on it in pg_locks and a changed relfilenode.`,
      "",
      row(["statement", "documented", "predicted", "observed", "writes blocked (longest)", "rehearsal says"]),
      row(["---", "---", "---", "---", "---", "---"]),
      ...accuracy.map((c) =>
        row([
          `\`${c.sql.split("\n").filter((l) => !l.startsWith("--")).join(" ").slice(0, 80)}\``,
          `${c.documented.lock}${c.documented.rewrite ? " + rewrite" : ""}`,
          `${c.predicted}${c.predictedRewrite ? " + rewrite" : ""}`,
          `${c.observed.lock}${c.observed.rewrite ? " + rewrite" : ""}`,
          c.observed.writesBlocked ? `${c.observed.writesBlocked} (${c.observed.longestWaitMs} ms)` : "0",
          c.missed ? "❌ missed a wrong prediction" : c.flagged ? "⚠️ flags the plan's prediction" : "as predicted",
        ]),
      ),
      "",
      `- ${targetLine(seen === accuracy.length, `the observation saw the documented lock and rewrite for ${seen} of ${accuracy.length} statements`)}`,
      `- ${targetLine(missed.length === 0, `every statement whose lock or rewrite the plan under-predicted was flagged (${wrongPredictions.length} under-predicted, ${missed.length} missed)`)}`,
      "",
      `Overhead: the SoleFlip fix at ${overhead.scale}× the real size (demo data), applied plain, observed without writers, and observed with them, each on a fresh copy of one template, ${overhead.rounds} interleaved rounds; wall time of the whole call, median [min–max]:`,
      "",
      row(["run", "time, ms", "vs plain"]),
      row(["---", "---", "---"]),
      row(["plain `runMigrations`", `${overhead.plainMs.median} [${overhead.plainMs.min}–${overhead.plainMs.max}]`, "1×"]),
      row(["observed, no writers", `${overhead.observedMs.median} [${overhead.observedMs.min}–${overhead.observedMs.max}]`, `${(1 + observedOverhead).toFixed(2)}×`]),
      row(["observed, with writers", `${overhead.observedWithLoadMs.median} [${overhead.observedWithLoadMs.min}–${overhead.observedWithLoadMs.max}]`, `${(1 + loadOverhead).toFixed(2)}×`]),
      "",
      `- ${targetLine(observedOverhead <= 0.1, `observing adds at most 10% to the apply time: ${(observedOverhead * 100).toFixed(1)}%`)} (with the writers competing for the same two cores: ${(loadOverhead * 100).toFixed(1)}%)`,
      "",
    );
  }
  const create = results.create;
  if (create) {
    lines.push(
      ...sectionHead(results, "## 5. `pnpm db:migrate:create`, warm", "create"),
      `A copy of SoleFlip's project with one nullable column added to \`Product\`; the history template already cached on the scratch server (the embedded PostgreSQL); \`--offline-lint\`; ${create.runs} runs, each migration removed after. The command is the CLI process from start to exit, as a user waits for it. Phases overlap (the engine loads during the copy, lint runs alongside the trial), so they do not add up to the command.`,
      "",
      row(["what", "ms, median [min–max]"]),
      row(["---", "---"]),
      row(["the whole command", `${create.cliMs.median} [${create.cliMs.min}–${create.cliMs.max}]`]),
      row(["starting the CLI alone (\`--help\`: the cached bundle, \`prisma.config.ts\` not read)", `${create.startupMs.median} [${create.startupMs.min}–${create.startupMs.max}]`]),
      ...Object.entries(create.phasesMs).map(([phase, ms]) => row([`phase: ${phase}`, String(ms)])),
      "",
      `- ${targetLine(create.cliMs.median <= 3000, `at most 3 s warm: ${create.cliMs.median} ms`)}`,
      "",
    );
  }
  const pace = results.pace;
  if (pace) {
    lines.push(
      ...sectionHead(results, "## 6. The weekly loop's pace: `db:migrate:create` against Prisma", "pace"),
      `One nullable column added to the first model. Ours: \`db:migrate:create --name … --offline-lint\` (online-safe SQL, down.sql, the trial up and down on a copy, lint), the history template built by a first run. Prisma: \`prisma migrate diff --from-migrations … --to-schema … --script\`, the diff \`prisma migrate dev --create-only\` computes (the whole history replayed into a shadow database, then diffed), with Prisma's engine compiled to WebAssembly, the one this machine can run. Both are CLI processes timed start to exit, ${pace.runs} runs each, interleaved.`,
      "",
      row(["project", "models", "migrations in its history", "ours, ms median [min–max]", "Prisma, ms median [min–max]", "ours ÷ Prisma"]),
      row(["---", "---", "---", "---", "---", "---"]),
      ...pace.projects.map((p) => row([p.name, p.models, p.migrations, msSpread(p.oursMs), msSpread(p.prismaMs), (p.oursMs.median / p.prismaMs.median).toFixed(2)])),
      "",
    );
  }
  if (results.widen) lines.push(...widenSection(results, results.widen, "widen", `## 7. Int to BigInt on a referenced primary key, under writes (${n(results.widen.rows)} rows)`));
  if (results.widenLarge) lines.push(...widenSection(results, results.widenLarge, "widenLarge", `## 7b. The same at ${n(results.widenLarge.rows)} rows`));
  const rename = results.rename;
  if (rename) {
    lines.push(
      ...sectionHead(results, "## 8. A column renamed under two application versions at once", "rename"),
      `The shop's \`Order.note\` mapped to \`remark\` (\`create\`'s expand/contract) on ${n(rename.rows)} orders. The old application version writes \`note\` (updates of its own rows and inserts, every value a token of its own) from before the expand until the contract's run; the new version writes \`remark\` from the end of the expand to the end. Then every row written is read back: its \`remark\` must hold the last token written to it, by either version.`,
      "",
      row(["writes by the old version", "writes by the new version", "failed writes", "rows checked", "lost", "diverging", "expand, ms", "contract, ms"]),
      row(["---", "---", "---", "---", "---", "---", "---", "---"]),
      row([n(rename.writes.old), n(rename.writes.new), rename.writes.failed, n(rename.checked), rename.lost, rename.diverging, n(rename.expandMs), n(rename.contractMs)]),
      "",
      `- ${targetLine(rename.lost === 0 && rename.diverging === 0, `0 lost or diverging rows: ${rename.lost} lost, ${rename.diverging} diverging of ${n(rename.checked)}`)}`,
      ...(rename.errors.length > 0 ? ["", `Errors seen: ${rename.errors.join("; ")}`] : []),
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

