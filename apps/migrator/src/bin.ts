import { Command, InvalidArgumentError, Option } from "commander";
import { join, relative } from "node:path";
import { ExitCode, lazyRunFolder, parseDuration, redactSecrets, runCli, ToolkitError } from "@soleflip/core";
import { findWorkspaceRoot } from "@soleflip/postgres";
import { readEnv } from "./env.ts";
import { projectFrom, withProjectOptions, type ProjectFlags } from "@soleflip/project/cli";

const nonNegativeInt = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
  return parsed;
};

const nonNegativeNumber = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a non-negative number.`);
  return parsed;
};

/** A guard's value: a positive whole number of milliseconds. 0 would disable the guard, so it is refused with the reason. */
const guardMs = (name: string, disables: string) => (value: string): number => {
  const parsed = Number(value);
  if (parsed === 0) throw new InvalidArgumentError(`${name} 0 would ${disables}; give a limit in milliseconds (e.g. ${name} 100).`);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a positive whole number of milliseconds.`);
  return parsed;
};

/** A duration in PostgreSQL's units (250ms, 30s, 10min, 2h); 0 would disable statement_timeout, so it is refused. */
const guardDuration = (name: string) => (value: string): number => {
  const parsed = parseDuration(value);
  if (parsed === 0) throw new InvalidArgumentError(`${name} 0 would disable statement_timeout for the long steps; give a limit (e.g. ${name} 30min).`);
  if (parsed === undefined) throw new InvalidArgumentError(`${name} must be a duration such as 500ms, 30s, 10min or 2h.`);
  return parsed;
};

/** --max-load lock-waiters=2,active=16,slowdown=4,wait=60s: what the runner waits for before long steps and batches. */
const maxLoad = (value: string): { maxLockWaiters?: number; maxActiveSessions?: number; maxSlowdown?: number; maxWaitMs?: number } => {
  const limits: { maxLockWaiters?: number; maxActiveSessions?: number; maxSlowdown?: number; maxWaitMs?: number } = {};
  for (const part of value.split(",")) {
    const [key, raw = ""] = part.split("=").map((piece) => piece.trim());
    const number = Number(raw);
    if (key === "lock-waiters" && Number.isInteger(number) && number >= 0) limits.maxLockWaiters = number;
    else if (key === "active" && Number.isInteger(number) && number >= 1) limits.maxActiveSessions = number;
    else if (key === "slowdown" && Number.isFinite(number) && number > 1) limits.maxSlowdown = number;
    else if (key === "wait" && (parseDuration(raw) ?? 0) > 0) limits.maxWaitMs = parseDuration(raw) ?? 0;
    else throw new InvalidArgumentError(`--max-load takes lock-waiters=<n>, active=<n>, slowdown=<factor above 1>, wait=<duration>, comma-separated (e.g. lock-waiters=2,active=16,slowdown=4,wait=60s); "${part}" is not one of them.`);
  }
  return limits;
};

/** --batch-time: whole milliseconds from 5 (below that a batch is mostly its commit) to 10,000. */
const batchTime = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 5 || parsed > 10_000) throw new InvalidArgumentError("--batch-time takes whole milliseconds from 5 to 10000 (e.g. --batch-time 20).");
  return parsed;
};

/** --nice-ratio: a number from 0 (no rest) to 10. */
const niceRatio = (value: string): number => {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || parsed > 10) throw new InvalidArgumentError("--nice-ratio takes a number from 0 to 10 (e.g. --nice-ratio 1: rest as long as each batch took).");
  return parsed;
};

/** A memory size as PostgreSQL writes it (64MB, 1GB), at most 8GB: a bound on what one index build may take. */
const memorySize = (value: string): string => {
  const match = /^(\d+)\s*(kB|MB|GB)$/.exec(value.trim());
  const kilobytes = match ? Number(match[1]) * { kB: 1, MB: 1024, GB: 1024 * 1024 }[match[2] as "kB" | "MB" | "GB"] : Number.NaN;
  if (!match || kilobytes < 1024 || kilobytes > 8 * 1024 * 1024) throw new InvalidArgumentError("--maintenance-work-mem takes a size from 1MB to 8GB, as PostgreSQL writes it (e.g. 256MB, 1GB).");
  return `${match[1]}${match[2]}`;
};

const say = (line: string | undefined) => {
  if (line !== undefined) process.stderr.write(`${line}\n`);
};

// Each command's modules are imported when it runs: a command (or --help) loads only what it uses, which
// keeps the weekly `db:migrate:create` loop short.
function program(setExitCode: (code: number) => void): Command {
  const root = new Command("soleflip-migrator")
    .description("Produce, check and apply a Prisma project's migrations online-safely.")
    .showHelpAfterError()
    .exitOverride();
  const cwd = process.cwd();
  const workspaceRoot = findWorkspaceRoot(cwd);

  withProjectOptions(
    root
      .command("migrate")
      .description("bring the database (DATABASE_URL, or the embedded one) to the head of the migration history")
      .option("--dry-run", "print the plan and the pre-flight results; change nothing", false)
      .option("--to <migration>", "apply the pending migrations up to this one (included) only, e.g. an expand without its switch")
      .option("--json", "print the run log as JSON on stdout", false)
      .option("--verbose", "show every step with its SQL, lock and timings", false)
      .option("--lock-timeout <ms>", "the longest lock_timeout for statements that block writes (the first attempt waits 20 ms, doubling on each retry up to this)", guardMs("--lock-timeout", "disable lock_timeout: a step would wait for its lock without limit while writers queue behind it"), 100)
      .option("--statement-timeout <duration>", "statement_timeout for long steps (index builds, validations, batched repairs), when the role's or database's own would cancel them; every other statement keeps the server's (e.g. 30min)", guardDuration("--statement-timeout"))
      .option("--batch-time <ms>", "how long one backfill batch should take; it holds its rows' locks that long, so an application write to one of them waits up to about this (shorter: the backfill takes longer). Batches are shortened further, down to 10 ms, once an application write is seen waiting on one", batchTime, 50)
      .option("--nice-ratio <ratio>", "after each backfill batch, rest for this many times its duration (gh-ost's nice-ratio): 1 halves the backfill's share of the server, 0 does not rest", niceRatio, 0)
      .option("--max-retries <n>", "retries of a statement that timed out waiting for a lock", nonNegativeInt("--max-retries"), 12)
      .option("--lock-wait <seconds>", "how long to wait for another run's migration lock", nonNegativeInt("--lock-wait"), 60)
      .option("--max-load <limits>", "before each long step and backfill batch, wait while the server is busier than this: lock-waiters=<n> (other sessions waiting for a lock), active=<n> (other sessions running a statement), slowdown=<factor> (a batch slower per row than the first ones), wait=<duration> (the longest pause); default lock-waiters=2,active=16,slowdown=4,wait=60s", maxLoad)
      .option("--no-max-load", "never wait for the server's load")
      .option("--maintenance-work-mem <size>", "memory for the runner's index builds (sorts in memory where they fit), 1MB to 8GB", memorySize, "256MB")
      .option("--max-replica-lag <seconds>", "before each long step and backfill batch, wait while a streaming standby replays further behind than this (0: do not wait)", nonNegativeNumber("--max-replica-lag"), 1.5)
      .option("--apply-log <file>", "where to write the apply log (default: reports/runs/<time>-migrate/apply-log.json; reports/migrate points at the newest run)")
      .option("--no-apply-log", "write no apply log")
      .option("--observe", "watch each step as it runs: locks held (pg_locks), writes blocked, rewrites, WAL, size; compared with the plan; exit 2 past the budget in rehearsal.config.json", false)
      .addOption(new Option("--load <mode>", "synthetic writers on the touched tables during --observe: auto (only on a database the toolkit made), on, off").choices(["auto", "on", "off"]).default("auto"))
      .option("--observation <file>", "where --observe writes its JSON (default: observation.json in the run's folder)"),
  ).action(async (options: ProjectFlags & { maxLoad: ReturnType<typeof maxLoad> | boolean; maintenanceWorkMem: string; to?: string; dryRun: boolean; json: boolean; lockTimeout: number; statementTimeout?: number; maxRetries: number; batchTime: number; niceRatio: number; lockWait: number; maxReplicaLag: number; applyLog: string | boolean; verbose: boolean; observe: boolean; load: "auto" | "on" | "off"; observation?: string }) => {
    const [{ migrateCommand }, { renderObservationText }, { renderEvent, renderRunText }] = await Promise.all([import("./commands/migrate.ts"), import("@soleflip/rehearsal"), import("@soleflip/runner")]);
    const project = await projectFrom(options, cwd);
    // A run folder of its own (reports/runs/<time>-migrate, and reports/migrate pointing at the newest), unless a path is given.
    const env = readEnv();
    const folder = lazyRunFolder(env.SOLEFLIP_REPORTS_DIR ?? join(workspaceRoot, "reports"), options.dryRun ? "migrate-dry-run" : "migrate", { args: process.argv.slice(2).map(redactSecrets) });
    const inFolder = (file: string) => async () => join(await folder.path(), file);
    const applyLog = options.applyLog;
    const result = await migrateCommand(
      {
        dryRun: options.dryRun,
        to: options.to,
        load: options.maxLoad === false ? false : options.maxLoad === true ? {} : options.maxLoad,
        maintenanceWorkMem: options.maintenanceWorkMem,
        lockTimeoutMs: options.lockTimeout,
        ...(options.statementTimeout !== undefined ? { longStepStatementTimeoutMs: options.statementTimeout } : {}),
        maxRetries: options.maxRetries,
        batchTimeMs: options.batchTime,
        niceRatio: options.niceRatio,
        lockWaitSeconds: options.lockWait,
        maxReplicaLagSeconds: options.maxReplicaLag,
        applyLog: applyLog === false ? false : typeof applyLog === "string" ? async () => applyLog : inFolder("apply-log.json"),
        observe: options.observe ? { load: options.load, output: options.observation ? async () => options.observation ?? "" : inFolder("observation.json") } : undefined,
      },
      { env, project, workspaceRoot, onEvent: (event) => say(renderEvent(event)), onProgress: say },
    ).catch(async (error: unknown) => {
      await folder.finish({ exitCode: ExitCode.ToolFailed });
      throw error;
    });
    const run = await folder.finish({ exitCode: result.exitCode });
    const pointer = run ? ` (${relative(cwd, run.pointer)} points at the newest ${options.dryRun ? "dry run" : "run"})` : "";
    const observed = result.observation;
    if (options.json) process.stdout.write(`${JSON.stringify(observed ? { ...result.log, observation: { ...observed.summary, findings: observed.findings } } : result.log, null, 2)}\n`);
    else {
      const observationText = observed ? `${renderObservationText(observed.summary, observed.findings, observed.budgetMs)}\n  Load: ${observed.load ? "on" : "off"}, ${observed.loadReason}. Observation written to ${observed.path}\n` : "";
      process.stdout.write(`${renderRunText(result.log, { applyLogPath: result.applyLogPath ? `${result.applyLogPath}${pointer}` : undefined, verbose: options.verbose })}\n${observationText}`);
    }
    setExitCode(result.exitCode);
  });

  withProjectOptions(
    root
      .command("create")
      .description("turn a change of the Prisma schema into a migration: online-safe SQL, down.sql, a trial on a copy, lint findings; --check re-checks a migration after you edit it")
      .option("--name <name>", "migration name (lower case, digits, underscores)")
      .option("--check [migration]", "re-check a migration you edited (default: the newest): trial up and down on a copy, lint, pre-flight; writes nothing")
      .option("--offline-lint", "lint without reading the database's data", false)
      .option("--plain", "write Prisma's own form (a drop and an add, a table rewrite) where an online form (expand, switch, contract) exists; a hazard to acknowledge in the file", false)
      .option("--json", "print the result as JSON", false)
      .option("--verbose", "show the time each phase took", false),
  ).action(async (options: ProjectFlags & { name?: string; check?: string | boolean; offlineLint: boolean; plain: boolean; json: boolean; verbose: boolean }) => {
    const [{ createCommand }, { renderFindingsText }] = await Promise.all([import("./commands/create.ts"), import("@soleflip/lint")]);
    if (options.check === undefined && options.name === undefined) throw new ToolkitError({ code: "migrator.create.no-name", summary: "create needs --name <name> (or --check to re-check an edited migration).", fix: "e.g. pnpm db:migrate:create --name add_marketplace_country" });
    if (options.check !== undefined && options.name !== undefined) throw new ToolkitError({ code: "migrator.create.check-with-name", summary: "--check re-checks an existing migration and takes no --name.", fix: "Drop --name, or drop --check to create a new migration." });
    const project = await projectFrom(options, cwd);
    const check = options.check === undefined ? undefined : { migration: typeof options.check === "string" ? options.check : undefined };
    const result = await createCommand({ name: options.name ?? "", check, lintWithDatabase: !options.offlineLint, plain: options.plain }, { env: readEnv(), project, workspaceRoot });
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.status === "no-changes") process.stdout.write("The schema and the migrations agree: no migration needed.\n");
    else {
      const trial = result.trial
        ? result.trial.up === "applied"
          ? `  tried on a copy of the history's structure: applied; down.sql ${result.trial.downRestores ? "restores it exactly" : `leaves ${result.trial.differences} difference(s)`}\n`
          : "  tried on a copy of the history's structure: it does not apply (see the findings)\n"
        : "";
      const timings = options.verbose ? `  timings: ${Object.entries(result.timingsMs).map(([phase, ms]) => `${phase} ${ms} ms`).join(", ")}\n` : "";
      const headline =
        result.status === "checked"
          ? `Checked ${result.directory}\n`
          : result.phases
            ? `Created an online change (${result.onlineChange}), ${result.phases.length} migrations, each with its down.sql:\n${result.phases.map((phase) => `  ${phase.name}: ${phase.directory}\n    ${phase.summary}\n`).join("")}  pnpm db:migrate applies the contract only in a run after the one that finished the expand (the next deploy); --plain writes Prisma's own form instead.\n`
            : `Created ${result.directory}\n  migration.sql and down.sql (online-safe)\n`;
      process.stdout.write(`${headline}${trial}${timings}\n${renderFindingsText(result.findings)}\n`);
    }
    setExitCode(result.exitCode);
  });

  withProjectOptions(
    root
      .command("lint")
      .description("lint migrations with squawk and our rules (with the database: its structure and data)")
      .argument("[migrations...]", "migration names (default: all but the first)")
      .option("--offline", "only what needs no database", false)
      .option("--large-table-rows <n>", "rows from which a blocking statement is reported", nonNegativeInt("--large-table-rows"), 10_000)
      .option("--json", "print the findings as JSON (same as --format json)", false)
      .addOption(new Option("--format <format>", "text, json, or github (workflow annotations)").choices(["text", "json", "github"]).default("text")),
  ).action(async (migrations: string[], options: ProjectFlags & { offline: boolean; largeTableRows: number; json: boolean; format: string }) => {
    const [{ lintCommand }, { renderFindingsGithub, renderFindingsJson, renderFindingsText }] = await Promise.all([import("./commands/lint.ts"), import("@soleflip/lint")]);
    const project = await projectFrom(options, cwd);
    const result = await lintCommand({ migrations, offline: options.offline, largeTableRows: options.largeTableRows }, { env: readEnv(), project, workspaceRoot });
    const format = options.json ? "json" : options.format;
    process.stdout.write(format === "json" ? renderFindingsJson(result.findings) : format === "github" ? `${renderFindingsGithub(result.findings, workspaceRoot)}\n` : `${renderFindingsText(result.findings)}\n`);
    setExitCode(result.exitCode);
  });

  withProjectOptions(
    root
      .command("rollback")
      .description("run the down.sql of the newest applied migrations (newest first, online-safe, after a pre-flight) and mark them rolled back")
      .argument("<migrations...>", "migration names")
      .option("--dry-run", "run the pre-flight only; change nothing", false)
      .option("--json", "print the result as JSON", false)
      .option("--lock-wait <seconds>", "how long to wait for another run's migration lock", nonNegativeInt("--lock-wait"), 60),
  ).action(async (names: string[], options: ProjectFlags & { dryRun: boolean; json: boolean; lockWait: number }) => {
    const { rollbackCommand } = await import("./commands/rollback.ts");
    const project = await projectFrom(options, cwd);
    const { result, exitCode } = await rollbackCommand({ names, dryRun: options.dryRun, lockWaitSeconds: options.lockWait }, { env: readEnv(), project, workspaceRoot });
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const failed = result.preflight.filter((p) => !p.passed);
      const lines = [
        ...result.rolledBack.map((r) => `rolled back ${r.name} (${r.steps} steps, ${r.durationMs} ms)`),
        ...failed.map((p) => `FAIL ${p.check} ${p.table}: ${p.message}`),
        result.outcome === "preflight-failed" ? "Pre-flight checks failed: nothing was changed." : result.outcome === "dry-run" ? "Dry run: the pre-flight passed; nothing was changed." : "",
      ].filter(Boolean);
      process.stdout.write(`${lines.join("\n")}\n`);
    }
    setExitCode(exitCode);
  });
  return root;
}

process.exitCode = await runCli(async () => {
  let exitCode: number = ExitCode.Ok;
  await program((code) => (exitCode = code)).parseAsync(process.argv);
  return exitCode;
});
