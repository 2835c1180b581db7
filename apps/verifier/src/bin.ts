import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { ExitCode, lazyRunFolder, redactSecrets, ToolkitError, runCli, type OutputDir } from "@soleflip/core";
import { findWorkspaceRoot } from "@soleflip/postgres";
import { changeWords, upsertStickyComment, type Report } from "@soleflip/report";
import { renderEvent } from "@soleflip/runner";
import type { Verification } from "@soleflip/verification";
import { ciCommand, renderCiMarkdown } from "./commands/ci.ts";
import { demoCommand } from "./commands/demo.ts";
import { readRehearsalConfig } from "@soleflip/rehearsal";
import { verifyCommand } from "./commands/verify.ts";
import { readEnv } from "./env.ts";
import { projectFrom, withProjectOptions, type ProjectFlags } from "@soleflip/project/cli";

const positive = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} must be a positive number.`);
  return parsed;
};

const settingPair = (value: string, previous: Record<string, string> = {}): Record<string, string> => {
  const match = /^([a-z_][a-z0-9_]*)=(.*)$/.exec(value);
  if (!match?.[1]) throw new InvalidArgumentError(`--seed-setting takes name=value (e.g. needs_enrichment=0.005), got "${value}".`);
  return { ...previous, [match[1]]: match[2] ?? "" };
};

function verificationLines(verification: Verification): string[] {
  if (verification.refusal) return [`refused [${verification.refusal.code}]: ${verification.refusal.summary}`, `  fix: ${verification.refusal.fix}`];
  const checks = verification.checks;
  return [
    `Verification: ${checks.filter((c) => c.status === "pass").length} of ${checks.length} checks pass${verification.status === "pass" ? "" : " — FAILING:"}`,
    ...checks.filter((c) => c.status === "fail").map((c) => `  ✗ ${c.id}: ${c.summary}`),
  ];
}

function summaryLines(report: Report, files: { markdown: string; json: string; comment: string }): string {
  return [
    ...verificationLines(report.verification),
    ...report.performance.flatMap((scale) =>
      scale.comparisons.map((c) => (c.after ? `${c.query.id} (${scale.label}): ${c.before ? `${changeWords(c.before, c.after)}; ${c.before.medianMs} ms → ` : ""}${c.after.medianMs} ms median (${c.after.nodeTypes.join(" → ")})` : `${c.query.id} (${scale.label}): ${c.skipped ?? "not measured"}`)),
    ),
    `Report: ${files.markdown}`,
    `JSON:   ${files.json}`,
    `PR comment: ${files.comment}`,
  ].join("\n");
}

/**
 * The folder a command's files go to: the one given (--report-dir), else a run folder of its own
 * (reports/runs/<time>-<command>, with reports/<command> pointing at the newest), made when first written.
 */
function runOutput(workspaceRoot: string, command: string, given: string | undefined): { dir: OutputDir; finish: (exitCode: number) => Promise<string> } {
  if (given) return { dir: given, finish: async () => "" };
  const folder = lazyRunFolder(readEnv().SOLEFLIP_REPORTS_DIR ?? join(workspaceRoot, "reports"), command, { args: process.argv.slice(2).map(redactSecrets) });
  return {
    dir: folder.path,
    finish: async (exitCode) => {
      const run = await folder.finish({ exitCode });
      return run ? `Run folder: ${relative(process.cwd(), run.path)} (${relative(process.cwd(), run.pointer)} points at the newest ${command} run)\n` : "";
    },
  };
}

/** Runs a command writing into `output`, and records its outcome in its run folder even when it throws. */
async function withOutput<T extends { exitCode: number }>(output: { finish: (exitCode: number) => Promise<string> }, work: () => Promise<T>): Promise<{ result: T; folderLine: string }> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await output.finish(ExitCode.ToolFailed);
    throw error;
  }
  return { result, folderLine: await output.finish(result.exitCode) };
}

function program(setExitCode: (code: number) => void): Command {
  const root = new Command("soleflip-verifier").description("Prove a database matches a Prisma project's model, measure its critical queries, write the report.").showHelpAfterError().exitOverride();
  const cwd = process.cwd();
  const workspaceRoot = findWorkspaceRoot(cwd);
  withProjectOptions(
    root
      .command("verify")
      .description("verify DATABASE_URL (or the embedded database) against the model, read-only, and write reports/")
      .option("--report-dir <dir>", "where report.md, report.json and pr-comment.md go (default: a run folder, reports/runs/<time>-verify; reports/verify points at the newest)")
      .option("--apply-log <file>", "the migrator's apply log to include (per-operation status)")
      .option("--no-performance", "skip the EXPLAIN ANALYZE measurements")
      .option("--runs <n>", "measured runs per query", positive("--runs"), 9)
      .option("--check <id...>", "run only these checks")
      .option("--json", "print the report as JSON on stdout", false),
  ).action(async (options: ProjectFlags & { reportDir?: string; applyLog?: string; performance: boolean; runs: number; check?: string[]; json: boolean }) => {
    const project = await projectFrom(options, cwd);
    const output = runOutput(workspaceRoot, "verify", options.reportDir);
    const { result, folderLine } = await withOutput(output, () =>
      verifyCommand({ reportDir: output.dir, applyLog: options.applyLog, performance: options.performance, runs: options.runs, only: options.check }, { env: readEnv(), project, workspaceRoot }),
    );
    if (options.json) process.stdout.write(`${JSON.stringify(result.report ?? { verification: result.verification }, null, 2)}\n`);
    else process.stdout.write(`${result.report && result.files ? summaryLines(result.report, result.files) : verificationLines(result.verification).join("\n")}\n${folderLine}`);
    setExitCode(result.exitCode);
  });
  withProjectOptions(
    root
      .command("demo")
      .description("the main job: the first migration's state with demo data (real size and --scale), measure, migrate, measure, verify, report")
      .option("--scale <n>", "the larger generated scale", positive("--scale"), 100)
      .option("--runs <n>", "measured runs per query", positive("--runs"), 9)
      .option("--report-dir <dir>", "output folder (default: a run folder, reports/runs/<time>-demo; reports/demo points at the newest)")
      .option("--database-prefix <name>", "names of the demo databases: <name> and <name>_x<scale> (default: soleflip_demo)")
      .option("--seed-setting <name=value>", "a setting for the demo data generator (demo.<name>), repeatable", settingPair),
  ).action(async (options: ProjectFlags & { scale: number; runs: number; reportDir?: string; databasePrefix?: string; seedSetting?: Record<string, string> }) => {
    const project = await projectFrom(options, cwd);
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const output = runOutput(workspaceRoot, "demo", options.reportDir);
    const { result, folderLine } = await withOutput(output, () => demoCommand(
      { scale: options.scale, runs: options.runs, reportDir: output.dir, databasePrefix: options.databasePrefix, seedSettings: options.seedSetting },
      {
        env: readEnv(),
        project,
        workspaceRoot,
        say,
        onMigrationEvent: (event) => {
          const line = renderEvent(event);
          if (line && event.type !== "step-start" && event.type !== "step-done") say(`    ${line}`);
        },
      },
    ));
    process.stdout.write(`${summaryLines(result.report, result.files)}\nApply logs: ${result.applyLogs.join(", ")}\n${folderLine}`);
    setExitCode(result.exitCode);
  });
  withProjectOptions(
    root
      .command("ci")
      .description("what the pull-request workflow runs: empty, demo data, upgrade from the base branch, rollback rehearsal, lint, verify")
      .option("--base-ref <ref>", "git ref of the base branch (upgrade path), e.g. origin/main")
      .option("--base-migrations <dir>", "or a folder with the base branch's migrations")
      .option("--scale <n>", "the larger generated scale of the demo, where the migration is observed (default: scale in rehearsal.config.json, 100)", positive("--scale"))
      .option("--report-dir <dir>", "output folder (default: a run folder, reports/runs/<time>-ci; reports/ci points at the newest)")
      .option("--database-prefix <name>", "names of the demo databases"),
  ).action(async (options: ProjectFlags & { baseRef?: string; baseMigrations?: string; scale?: number; reportDir?: string; databasePrefix?: string }) => {
    const project = await projectFrom(options, cwd);
    const scale = options.scale ?? readRehearsalConfig(project.root).scale;
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const output = runOutput(workspaceRoot, "ci", options.reportDir);
    const { result, folderLine } = await withOutput(output, () =>
      ciCommand({ baseRef: options.baseRef, baseMigrations: options.baseMigrations, scale, reportDir: output.dir, databasePrefix: options.databasePrefix }, { env: readEnv(), project, workspaceRoot, say }),
    );
    process.stdout.write(`${renderCiMarkdown(result.steps)}\n${folderLine}`);
    setExitCode(result.exitCode);
  });
  root
    .command("comment")
    .description("create or update the one PR comment (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH)")
    .option("--file <file>", "the comment body (default: reports/ci/pr-comment.md, the newest ci run's)")
    .action(async (options: { file?: string }) => {
      const env = readEnv();
      if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY || !env.GITHUB_EVENT_PATH) {
        throw new ToolkitError({ code: "verifier.comment.not-in-actions", summary: "GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_EVENT_PATH are needed.", fix: "Run this step in a pull_request workflow." });
      }
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as { pull_request?: { number?: number } };
      const issueNumber = event.pull_request?.number;
      if (!issueNumber) throw new ToolkitError({ code: "verifier.comment.no-pull-request", summary: "The event is not a pull request.", fix: "Run this step on pull_request events." });
      const body = await readFile(options.file ?? join(env.SOLEFLIP_REPORTS_DIR ?? join(workspaceRoot, "reports"), "ci", "pr-comment.md"), "utf8");
      const result = await upsertStickyComment({ apiUrl: env.GITHUB_API_URL ?? "https://api.github.com", token: env.GITHUB_TOKEN, repository: env.GITHUB_REPOSITORY, issueNumber, body });
      process.stdout.write(`${result.action} comment ${result.id}\n`);
    });
  return root;
}

process.exitCode = await runCli(async () => {
  let exitCode: number = ExitCode.Ok;
  await program((code) => (exitCode = code)).parseAsync(process.argv);
  return exitCode;
});
