import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ExitCode } from "@soleflip/core";
import { acquireDatabase, acquireScratchServer, databaseName, databaseState, withClient, type ScratchServer } from "@soleflip/postgres";
import { observeMigrations, readRehearsalConfig, type ObservationSummary, type RehearsalFinding } from "@soleflip/rehearsal";
import type { PrismaProject } from "@soleflip/project";
import { DEFAULT_MAX_REPLICA_LAG_MS, exitCodeFor, runMigrations, type RunEvent, type RunLog, type RunOptions } from "@soleflip/runner";
import { embeddedSettings, type MigratorEnv } from "../env.ts";

export interface MigrateArgs {
  dryRun: boolean;
  lockTimeoutMs: number;
  /** statement_timeout for long steps, when the server's own would cancel them. */
  longStepStatementTimeoutMs?: number;
  maxRetries: number;
  /** How long one backfill batch should take (and hold its rows' locks). */
  batchTimeMs?: number | undefined;
  /** Rest after each backfill batch, as a multiple of its time. */
  niceRatio?: number | undefined;
  lockWaitSeconds: number;
  /** Wait before long steps and batches while a standby replays further behind (0: never). */
  maxReplicaLagSeconds?: number;
  /** Where the apply log goes (asked when it is written: a run folder is made only then); `false` for none. */
  applyLog: (() => Promise<string>) | false;
  /** Apply the pending migrations up to this one (included) only. */
  to?: string | undefined;
  /** What the runner waits for before long steps and batches (false: never). */
  load?: RunOptions["load"];
  maintenanceWorkMem?: string | undefined;
  /** Watch each step as it runs (locks, blocked writes, rewrites, WAL, size) and judge it against the budget. */
  observe?: { load: "auto" | "on" | "off"; output: () => Promise<string> } | undefined;
}

export interface MigrateDeps {
  env: MigratorEnv;
  project: PrismaProject;
  workspaceRoot: string;
  onEvent?: (event: RunEvent) => void;
  onProgress?: (message: string) => void;
}

export interface MigrateResult {
  log: RunLog;
  observation?: { summary: ObservationSummary; findings: RehearsalFinding[]; load: boolean; loadReason: string; budgetMs: number; path: string };
  applyLogPath: string | undefined;
  exitCode: ExitCode;
}

/**
 * The synthetic writers take ROW EXCLUSIVE locks on the tables a migration touches: never on a database
 * the toolkit did not make, unless asked.
 */
async function loadDecision(url: string, wanted: "auto" | "on" | "off"): Promise<{ load: boolean; reason: string }> {
  if (wanted === "on") return { load: true, reason: "asked for (--load on)" };
  if (wanted === "off") return { load: false, reason: "turned off (--load off)" };
  const state = await withClient(url, (client) => databaseState(client, databaseName(url)));
  return state.state === "owned"
    ? { load: true, reason: "the toolkit made this database" }
    : { load: false, reason: "not a database the toolkit made (pass --load on to add writers: they take ROW EXCLUSIVE locks on the touched tables and change no row)" };
}

/**
 * `migrate`: brings DATABASE_URL (or the embedded database) to the head of the project's history. A
 * scratch server (for adopting a database made outside Prisma) is started only when it is needed.
 */
export async function migrateCommand(args: MigrateArgs, deps: MigrateDeps): Promise<MigrateResult> {
  const settings = { workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env), ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) };
  const database = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, session: { directDatabaseUrl: deps.env.DIRECT_DATABASE_URL }, ...settings });
  let scratch: ScratchServer | undefined;
  try {
    const options: RunOptions = {
      databaseUrl: database.url,
      migrationsDir: deps.project.migrationsDir,
      scratchServer: async () => (scratch ??= await acquireScratchServer({ shadowDatabaseUrl: deps.env.SHADOW_DATABASE_URL, sameMajorAs: database.url, ...settings })),
      dryRun: args.dryRun,
      execution: { lockTimeoutMs: args.lockTimeoutMs, maxRetries: args.maxRetries, ...(args.batchTimeMs !== undefined ? { batchTargetMs: args.batchTimeMs } : {}), ...(args.niceRatio !== undefined ? { niceRatio: args.niceRatio } : {}) },
      lockWaitMs: args.lockWaitSeconds * 1000,
      longStepStatementTimeoutMs: args.longStepStatementTimeoutMs,
      to: args.to,
      load: args.load,
      maintenanceWorkMem: args.maintenanceWorkMem,
      maxReplicaLagMs: (args.maxReplicaLagSeconds ?? DEFAULT_MAX_REPLICA_LAG_MS / 1000) * 1000,
      ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
    };
    let log: RunLog;
    let observation: MigrateResult["observation"];
    if (args.observe && !args.dryRun) {
      const config = readRehearsalConfig(deps.project.root);
      const { load, reason } = await loadDecision(database.url, args.observe.load);
      const observed = await observeMigrations({ ...options, config, load });
      log = observed.log;
      const path = await args.observe.output();
      observation = { summary: observed.observation, findings: observed.findings, load, loadReason: reason, budgetMs: config.writeBlockBudgetMs, path };
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${JSON.stringify({ config, loadDecision: reason, ...observed.observation, findings: observed.findings }, null, 2)}\n`);
    } else {
      log = await runMigrations(options);
    }
    let applyLogPath: string | undefined;
    if (args.applyLog !== false) {
      applyLogPath = await args.applyLog();
      await mkdir(dirname(applyLogPath), { recursive: true });
      await writeFile(applyLogPath, `${JSON.stringify(log, null, 2)}\n`);
    }
    const runExit = exitCodeFor(log);
    const exitCode = runExit === ExitCode.Ok && (observation?.findings.length ?? 0) > 0 ? ExitCode.Findings : runExit;
    return { log, applyLogPath, exitCode, ...(observation ? { observation } : {}) };
  } finally {
    await scratch?.release();
    await database.release();
  }
}
