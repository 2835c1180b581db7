import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMigration } from "@soleflip/authoring";
import { recreateOwnedDatabase, renameOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { loadProject, type PrismaProject } from "@soleflip/project";
import { runMigrations, type ExecutionOptions, type RunLog } from "@soleflip/runner";
import { spread, type Spread } from "./stats.ts";
import { floorWindowMs, recordStepSpans, stallContext, type StepSpan } from "./step-spans.ts";
import { applyUnderWrites, summariseRuns } from "./under-writes.ts";
import type { WorkloadResult } from "./workload.ts";

/**
 * Int to BigInt on a referenced primary key (the shop example's Category.id, and Product.categoryId that
 * references it), under the shop's steady write workload: Prisma's own SQL as `prisma migrate deploy` runs
 * it, the plain form `create --plain` writes (acknowledged) through the runner, and the expand/contract form
 * `create` writes by default (expand and switch in one run, the contract in the next), against "no change".
 */
export type WidenWay = "Prisma's SQL" | "plain, acknowledged" | "expand/contract" | "expand/contract, --batch-time 15" | "expand/contract, --nice-ratio 1" | "no change";
export const WIDEN_WAYS: readonly WidenWay[] = ["Prisma's SQL", "plain, acknowledged", "expand/contract", "expand/contract, --batch-time 15", "expand/contract, --nice-ratio 1", "no change"];

/** The online form's batches in one run: how many, the longest (about the longest their row locks were held), and how many an application write waited on. */
export interface BatchFacts {
  count: number;
  longestMs: number;
  waitedOn: number;
}

export interface WidenRun {
  way: WidenWay;
  round: number;
  totalMs: number;
  outcome: string;
  workload: WorkloadResult;
  /** The runner's steps whose time overlaps the longest stall, or where it fell between them. */
  stalledDuring?: string[];
  batches?: BatchFacts;
}

export interface WidenResult {
  rows: number;
  ratePerSecond: number;
  runs: WidenRun[];
  summary: Array<{ way: WidenWay; totalMs: Spread; maxStallMs: Spread; p99Ms: Spread; failedWrites: number; inserted: Spread; outcome: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shop example with `rows` categories and `rows` products, as a template database. */
export async function buildShopTemplate(adminUrl: string, name: string, rows: number, migrationsDir: string, say: (line: string) => void): Promise<void> {
  const building = `${name}_building`;
  await recreateOwnedDatabase(adminUrl, building, "cache");
  const url = withDatabase(adminUrl, building);
  const started = performance.now();
  const log = await runMigrations({ databaseUrl: url, migrationsDir });
  if (log.outcome !== "applied") throw new Error(`the shop's migrations did not apply: ${log.outcome}`);
  await withClient(url, async (client) => {
    await client.query(`INSERT INTO "Category" (name) SELECT 'category ' || g FROM generate_series(1, ${rows}) AS g`);
    await client.query(`INSERT INTO "Product" (sku, name, price, stock, "categoryId") SELECT 'SKU-' || g, 'product ' || g, 10, g % 50, (1 + (g::bigint * 7919) % ${rows})::int FROM generate_series(1, ${rows}) AS g`);
    await client.query("VACUUM ANALYZE");
  });
  await renameOwnedDatabase(adminUrl, building, name, "cache");
  say(`  template ${name}: ${rows.toLocaleString("en-US")} categories and products in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** A copy of the shop example whose schema makes Category.id and Product.categoryId BigInt, and its migrations written by `create`. */
async function widenedShop(workspaceRoot: string, scratchAdminUrl: string, plain: boolean): Promise<{ project: PrismaProject; prismaSql: string; dispose: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "sf-bench-widen-"));
  await cp(join(workspaceRoot, "examples", "shop", "prisma"), join(root, "prisma"), { recursive: true });
  await writeFile(join(root, "prisma.config.ts"), 'export default { schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, datasource: { url: process.env["DATABASE_URL"] ?? "" } };\n');
  const project = await loadProject({ cwd: root });
  const schema = await readFile(project.schemaPath, "utf8");
  await writeFile(project.schemaPath, schema.replace(/(model Category \{\n\s+id\s+)Int/, "$1BigInt").replace(/(categoryId\s+)Int\?/, "$1BigInt?"));
  const created = await createMigration({ project, name: "widen_category_id", scratchAdminUrl, plain });
  if (plain) {
    // The author's acknowledgement, as the finding asks (the catalogue's way).
    const folder = (await readdir(project.migrationsDir)).find((name) => name.endsWith("_widen_category_id")) ?? "";
    const file = join(project.migrationsDir, folder, "migration.sql");
    const lines = (await readFile(file, "utf8")).split("\n");
    const at = [...new Set(created.findings.filter((f) => f.rule === "ban-unacknowledged-hazard").map((f) => f.line))].sort((a, b) => b - a);
    for (const line of at) lines.splice(line - 1, 0, "-- migrator:allow-hazard REWRITES_TABLE: the benchmark's plain form");
    await writeFile(file, lines.join("\n"));
  }
  return { project, prismaSql: created.prismaSql ?? "", dispose: () => rm(root, { recursive: true, force: true }) };
}

function batchFacts(logs: RunLog[]): BatchFacts {
  const steps = logs.flatMap((log) => log.migrations.flatMap((m) => m.operations.flatMap((o) => o.steps))).filter((step) => (step.batches ?? 0) > 0);
  return {
    count: steps.reduce((sum, step) => sum + (step.batches ?? 0), 0),
    longestMs: Math.max(0, ...steps.map((step) => step.longestBatchMs ?? 0)),
    waitedOn: steps.reduce((sum, step) => sum + (step.waitedOnBatches ?? 0), 0),
  };
}

const EXECUTION: Partial<Record<WidenWay, Partial<ExecutionOptions>>> = { "expand/contract, --batch-time 15": { batchTargetMs: 15 }, "expand/contract, --nice-ratio 1": { niceRatio: 1 } };

async function applyWay(way: WidenWay, url: string, forms: { plain: PrismaProject; online: PrismaProject; prismaSql: string }, spans: StepSpan[], floorMs: number, batches: (facts: BatchFacts) => void): Promise<string> {
  if (way === "no change") {
    await sleep(floorMs);
    return "nothing applied";
  }
  if (way === "Prisma's SQL") {
    // As prisma migrate deploy runs a migration: the file as one script.
    return withClient(url, (client) => client.query(forms.prismaSql)).then(
      () => "applied",
      (error: unknown) => `failed: ${(error as Error).message}`,
    );
  }
  const migrationsDir = way === "plain, acknowledged" ? forms.plain.migrationsDir : forms.online.migrationsDir;
  const options = EXECUTION[way];
  const execution = options ? { execution: options } : {};
  const first = await runMigrations({ databaseUrl: url, migrationsDir, onEvent: recordStepSpans(spans), ...execution });
  if (first.outcome !== "applied") return `${first.outcome}: ${first.failure?.summary ?? first.refusal?.summary ?? ""}`;
  if (way === "plain, acknowledged") return "applied";
  // The contract waits for a later run: the next deploy's.
  const contract = await runMigrations({ databaseUrl: url, migrationsDir, onEvent: recordStepSpans(spans), ...execution });
  batches(batchFacts([first, contract]));
  return contract.outcome === "applied" ? "applied (expand and switch, then the contract in a second run)" : `contract ${contract.outcome}`;
}

export async function measureWiden(options: { adminUrl: string; workspaceRoot: string; rows: number; rounds: number; ratePerSecond: number; say: (line: string) => void }): Promise<WidenResult> {
  const scratchAdminUrl = withDatabase(options.adminUrl, "postgres");
  const plain = await widenedShop(options.workspaceRoot, scratchAdminUrl, true);
  const online = await widenedShop(options.workspaceRoot, scratchAdminUrl, false);
  const template = `bench_shop_${options.rows}`;
  try {
    const exists = await withClient(options.adminUrl, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount);
    // The template holds the shop before the change: every way's migrations folder starts from the same history.
    if (!exists) await buildShopTemplate(options.adminUrl, template, options.rows, join(options.workspaceRoot, "examples", "shop", "prisma", "migrations"), options.say);
    const runs: WidenRun[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const totalsThisRound: number[] = [];
      for (const way of WIDEN_WAYS) {
        const spans: StepSpan[] = [];
        let batches: BatchFacts | undefined;
        const run = await applyUnderWrites({ adminUrl: options.adminUrl, template, name: "bench_widen_run", ratePerSecond: options.ratePerSecond, mix: "shop" }, (url) =>
          applyWay(way, url, { plain: plain.project, online: online.project, prismaSql: plain.prismaSql }, spans, floorWindowMs(totalsThisRound), (facts) => {
            batches = facts;
          }),
        );
        const { applied: outcome, totalMs, workload: result } = run;
        totalsThisRound.push(totalMs);
        const from = run.workloadStartedAt + result.worstAtMs;
        const stalledDuring = spans.length > 0 ? stallContext(spans, run.startedAt, from, from + result.maxMs) : undefined;
        runs.push({ way, round, totalMs: Math.round(totalMs), outcome, workload: result, ...(stalledDuring ? { stalledDuring } : {}), ...(batches ? { batches } : {}) });
        const batchLine = batches ? `; ${batches.count} batches, the longest ${batches.longestMs} ms, ${batches.waitedOn} waited on` : "";
        options.say(`  round ${round} ${way}: ${(totalMs / 1000).toFixed(2)} s, longest stall ${result.maxMs} ms, p99 ${result.p99Ms} ms, ${result.failed} failed writes${result.errors[0] ? ` (e.g. ${result.errors[0]})` : ""}, ${result.inserted} rows inserted (${outcome.slice(0, 160)})${stalledDuring ? `; the longest stall overlapped: ${stalledDuring.join(" | ")}` : ""}${batchLine}`);
      }
    }
    const summary = WIDEN_WAYS.map((way) => {
      const of = runs.filter((run) => run.way === way);
      return {
        way,
        ...summariseRuns(of),
        inserted: spread(of.map((r) => r.workload.inserted)),
        outcome: [...new Set(of.map((r) => r.outcome))].join("; "),
      };
    });
    return { rows: options.rows, ratePerSecond: options.ratePerSecond, runs, summary };
  } finally {
    await plain.dispose();
    await online.dispose();
  }
}
