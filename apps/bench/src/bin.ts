import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, release, totalmem, type } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { onShutdown, runCli, ToolkitError } from "@soleflip/core";
import { acquireScratchServer, createStandby, dropAbandonedStandbySlots, findWorkspaceRoot, startEmbeddedPostgres, withClient, withDatabase } from "@soleflip/postgres";
import { measureEnrichment } from "./enrichment.ts";
import { renderBenchmarks, type BenchmarkResults } from "./render.ts";
import { buildTemplate, measureStalls } from "./stalls.ts";
import { measureCreatePace } from "./create-pace.ts";
import { measureCreate } from "./create-time.ts";
import { measureObservation } from "./observation.ts";
import { measureVerifier } from "./verifier-scaling.ts";
import { measureRename } from "./rename.ts";
import { measureWiden } from "./widen.ts";

const say = (line: string) => process.stderr.write(`${line}\n`);

const program = new Command("soleflip-bench")
  .exitOverride()
  .description("Benchmarks: write stalls during the fix (three ways), the enrichment query before/after, the verifier's scaling, the observed rehearsal's accuracy and overhead. Writes BENCHMARKS.md and benchmarks/results.json.")
  .option("--only <parts...>", "stalls, stalls-large, enrichment, verifier, observation, create, pace, widen, widen-large, rename (default: all but the -large ones, which take an hour or more); render: write BENCHMARKS.md again from benchmarks/results.json")
  .option("--rows <n>", "rows per table for the stall benchmark", (v) => Number(v), 1_000_000)
  .option("--large-rows <n>", "rows per table for stalls-large and widen-large", (v) => Number(v), 10_000_000)
  .option("--rename-rows <n>", "orders of the rename benchmark", (v) => Number(v), 1_000_000)
  .option("--max-replica-lag <ms>", "the runner's replica-lag limit in the stall benchmarks (with a streaming standby)", (v) => Number(v), 1_500)
  .option("--rounds <n>", "interleaved rounds of the three ways", (v) => Number(v), 3)
  .option("--runs <n>", "measured runs per query / verification", (v) => Number(v), 9)
  .option("--sizes <n...>", "product counts for the enrichment benchmark", ["763", "100000", "1000000"])
  .option("--rate <n>", "writes per second of the workload", (v) => Number(v), 100)
  .option("--observe-rows <n>", "rows of the table the observation's statements run on", (v) => Number(v), 500_000)
  .option("--observe-scale <n>", "demo scale of the observation's overhead runs", (v) => Number(v), 100)
  .option("--data-dir <dir>", "the bench server's data folder (its templates are kept there between runs)", ".data/bench-postgres")
  .option("--port <n>", "the bench server's port (its streaming standby takes the next one)", (v) => Number(v), 54_339)
  .option("--no-standby", "measure the stalls without a streaming standby (it needs a copy of the whole bench server, and replays each run's copy)")
  .action(async (options: { only?: string[]; rows: number; largeRows: number; renameRows: number; maxReplicaLag: number; rounds: number; runs: number; sizes: string[]; rate: number; observeRows: number; observeScale: number; dataDir: string; port: number; standby: boolean }) => {
    const root = findWorkspaceRoot();
    const parts = new Set(options.only ?? ["stalls", "enrichment", "verifier", "observation", "create", "pace", "widen", "rename"]);
    const known = new Set(["stalls", "stalls-large", "enrichment", "verifier", "observation", "create", "pace", "widen", "widen-large", "rename", "render"]);
    const unknown = [...parts].filter((part) => !known.has(part));
    if (unknown.length > 0) throw new ToolkitError({ code: "bench.unknown-part", summary: `Unknown part: ${unknown.join(", ")}.`, fix: `Choose from ${[...known].join(", ")}.` });
    if (parts.has("render")) {
      // BENCHMARKS.md again from benchmarks/results.json, measuring nothing (after a change to how it is written)
      const saved = JSON.parse(await readFile(join(root, "benchmarks", "results.json"), "utf8")) as BenchmarkResults;
      await writeFile(join(root, "BENCHMARKS.md"), renderBenchmarks(saved));
      say(`wrote ${join(root, "BENCHMARKS.md")} from benchmarks/results.json`);
      return;
    }
    const benchDataDir = resolve(root, options.dataDir);
    const server = await startEmbeddedPostgres({ dataDir: benchDataDir, port: options.port, onProgress: say });
    // Ctrl-C stops the bench's server too (and the standby, whose own stop runs in the finally below)
    const unregister = server.owned ? onShutdown(() => server.stop()) : () => undefined;
    try {
      const version = await withClient(server.adminUrl, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?");
      const previous = await readFile(join(root, "benchmarks", "results.json"), "utf8").then((t) => JSON.parse(t) as BenchmarkResults).catch(() => undefined);
      const results: BenchmarkResults = {
        generatedAt: new Date().toISOString(),
        command: `npx pnpm@12.4.2 bench${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}`,
        machine: { cpus: cpus()[0]?.model ?? "?", cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${type()} ${release()}`, node: process.version, postgres: version },
        stalls: previous?.stalls,
        stallsLarge: previous?.stallsLarge,
        enrichment: previous?.enrichment,
        verifier: previous?.verifier,
        observation: previous?.observation,
        create: previous?.create,
        pace: previous?.pace,
        widen: previous?.widen,
        widenLarge: previous?.widenLarge,
        rename: previous?.rename,
        measured: { ...previous?.measured },
      };
      const measuredNow = () => ({ at: results.generatedAt, command: results.command });
      // Written after every part: a part that fails later does not take the ones measured before with it.
      const save = async () => {
        await mkdir(join(root, "benchmarks"), { recursive: true });
        await writeFile(join(root, "benchmarks", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
        await writeFile(join(root, "BENCHMARKS.md"), renderBenchmarks(results));
      };
      for (const [part, rows, rounds] of [["stalls", options.rows, options.rounds], ["stalls-large", options.largeRows, 1]] as const) {
        if (!parts.has(part)) continue;
        say(`${part}: the pre-fix template with ${rows.toLocaleString("en-US")} rows per table`);
        const template = `bench_template_${rows}`;
        const exists = await withClient(server.adminUrl, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount);
        if (!exists) await buildTemplate(server.adminUrl, template, rows, say);
        // a streaming standby of the bench server, made afresh for the measurement (unless --no-standby: at
        // 10M rows the standby's copy and its replay of each run's copy need twice the disk)
        const standbyDir = `${benchDataDir}-standby`;
        await rm(standbyDir, { recursive: true, force: true });
        // (createStandby drops the slots of standbys cut short itself; without one, they would keep WAL forever)
        if (!options.standby) await withClient(server.adminUrl, (client) => dropAbandonedStandbySlots(client));
        const standby = options.standby ? await createStandby({ ...server, dataDir: benchDataDir, major: server.major }, standbyDir, options.port + 1) : undefined;
        try {
          const key = part === "stalls" ? "stalls" : "stallsLarge";
          results.measured = { ...results.measured, [key]: measuredNow() };
          // the runner's scratch work (adoption's baseline) goes where `pnpm db:migrate` puts it by default
          const scratch = await acquireScratchServer({ workspaceRoot: root, sameMajorAs: server.adminUrl, onProgress: say });
          try {
            results[key] = await measureStalls({ adminUrl: server.adminUrl, scratchAdminUrl: scratch.adminUrl, template, rows, rounds, ratePerSecond: options.rate, say, standby: standby !== undefined, maxReplicaLagMs: options.maxReplicaLag });
        await save();
          } finally {
            await scratch.release();
          }
        } finally {
          await standby?.stop();
          await rm(standbyDir, { recursive: true, force: true });
        }
      }
      if (parts.has("enrichment")) {
        say("enrichment: before and after the partial indexes");
        results.measured = { ...results.measured, enrichment: measuredNow() };
        results.enrichment = await measureEnrichment({ adminUrl: server.adminUrl, sizes: options.sizes.map(Number), runs: options.runs, say });
        await save();
      }
      if (parts.has("verifier")) {
        say("verifier: scaling with extra tables");
        results.measured = { ...results.measured, verifier: measuredNow() };
        results.verifier = await measureVerifier({ adminUrl: withDatabase(server.adminUrl, "postgres"), runs: Math.min(options.runs, 5), extra: [0, 100, 1000], say });
        await save();
      }
      if (parts.has("observation")) {
        say("observation: documented statements, then the overhead");
        results.measured = { ...results.measured, observation: measuredNow() };
        results.observation = await measureObservation({ adminUrl: withDatabase(server.adminUrl, "postgres"), rows: options.observeRows, scale: options.observeScale, rounds: Math.max(options.rounds, 5), say });
        await save();
      }
      if (parts.has("create")) {
        say("create: db:migrate:create warm");
        results.measured = { ...results.measured, create: measuredNow() };
        results.create = await measureCreate({ workspaceRoot: root, scratchAdminUrl: withDatabase(server.adminUrl, "postgres"), runs: 5, say });
        await save();
      }
      if (parts.has("pace")) {
        say("pace: db:migrate:create against prisma migrate diff, SoleFlip and langfuse");
        results.measured = { ...results.measured, pace: measuredNow() };
        results.pace = await measureCreatePace({ workspaceRoot: root, scratchAdminUrl: withDatabase(server.adminUrl, "postgres"), runs: 5, say });
        await save();
      }
      for (const [part, rows, rounds] of [["widen", options.rows, options.rounds], ["widen-large", options.largeRows, 1]] as const) {
        if (!parts.has(part)) continue;
        const key = part === "widen" ? "widen" : "widenLarge";
        say(`${part}: Int to BigInt on a referenced primary key, ${rows.toLocaleString("en-US")} rows`);
        results.measured = { ...results.measured, [key]: measuredNow() };
        results[key] = await measureWiden({ adminUrl: server.adminUrl, workspaceRoot: root, rows, rounds, ratePerSecond: options.rate, say });
        await save();
      }
      if (parts.has("rename")) {
        say("rename: a column renamed under two application versions writing at once");
        results.measured = { ...results.measured, rename: measuredNow() };
        results.rename = await measureRename({ adminUrl: server.adminUrl, workspaceRoot: root, rows: options.renameRows, say });
        await save();
      }
      await save();
      say(`wrote ${join(root, "BENCHMARKS.md")} and benchmarks/results.json`);
    } finally {
      unregister();
      await server.stop();
    }
  });

process.exitCode = await runCli(async () => {
  await program.parseAsync(process.argv);
  return 0;
});
