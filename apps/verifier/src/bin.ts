import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { ExitCode, ToolkitError, runCli } from "@soleflip/core";
import { renderEvent } from "@soleflip/migrator";
import { findWorkspaceRoot } from "@soleflip/postgres";
import { ciCommand, renderCiMarkdown } from "./commands/ci.ts";
import { demoCommand } from "./commands/demo.ts";
import { verifyCommand } from "./commands/verify.ts";
import { readEnv } from "./env.ts";
import { upsertStickyComment } from "./github/sticky-comment.ts";
import type { Report } from "./report/model.ts";

const positive = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} must be a positive number.`);
  return parsed;
};

function summaryLines(report: Report, files: { markdown: string; json: string; comment: string }): string {
  const checks = report.verification.checks;
  const lines = [
    `Verification: ${checks.filter((c) => c.status === "pass").length} of ${checks.length} checks pass${report.status === "pass" ? "" : " — FAILING:"}`,
    ...checks.filter((c) => c.status === "fail").map((c) => `  ✗ ${c.id}: ${c.summary}`),
    ...report.performance.flatMap((scale) =>
      scale.comparisons.map((c) => `${c.query.id} @ ${scale.products.toLocaleString("en-US")} products: ${c.before ? `${c.before.medianMs} ms → ` : ""}${c.after.medianMs} ms median (${c.after.nodeTypes.join(" → ")})`),
    ),
    `Report: ${files.markdown}`,
    `JSON:   ${files.json}`,
    `PR comment: ${files.comment}`,
  ];
  return lines.join("\n");
}

function program(setExitCode: (code: number) => void): Command {
  const root = new Command("soleflip-verifier").description("Prove a SoleFlip database matches the model, measure what matters, write the report.").showHelpAfterError().exitOverride();
  root
    .command("verify")
    .description("verify DATABASE_URL (or the embedded database) against the Prisma model and write reports/")
    .option("--report-dir <dir>", "where report.md, report.json and pr-comment.md go (default: reports)")
    .option("--apply-log <file>", "the migrator's apply log to include (per-fix status)")
    .option("--no-performance", "skip the EXPLAIN ANALYZE measurements")
    .option("--runs <n>", "measured runs per query", positive("--runs"), 9)
    .option("--check <id...>", "run only these checks")
    .option("--json", "print the report as JSON on stdout", false)
    .action(async (options: { reportDir?: string; applyLog?: string; performance: boolean; runs: number; check?: string[]; json: boolean }) => {
      const root = findWorkspaceRoot();
      const result = await verifyCommand(
        { reportDir: options.reportDir ?? join(root, "reports"), applyLog: options.applyLog, performance: options.performance, runs: options.runs, only: options.check },
        { env: readEnv(), workspaceRoot: root },
      );
      process.stdout.write(options.json ? `${JSON.stringify(result.report, null, 2)}\n` : `${summaryLines(result.report, result.files)}\n`);
      setExitCode(result.exitCode);
    });
  root
    .command("demo")
    .description("the main job: pre-fix state with demo data (real size and --scale), measure, migrate, measure, verify, report")
    .option("--scale <n>", "the larger generated scale", positive("--scale"), 100)
    .option("--runs <n>", "measured runs per query", positive("--runs"), 9)
    .option("--report-dir <dir>", "output folder (default: reports)")
    .action(async (options: { scale: number; runs: number; reportDir?: string }) => {
      const root = findWorkspaceRoot();
      const say = (line: string) => process.stderr.write(`${line}\n`);
      const result = await demoCommand(
        { scale: options.scale, runs: options.runs, reportDir: options.reportDir ?? join(root, "reports") },
        { env: readEnv(), workspaceRoot: root, say, onMigrationEvent: (event) => { const line = renderEvent(event); if (line && event.type !== "step-start" && event.type !== "step-done") say(`    ${line}`); } },
      );
      process.stdout.write(`${summaryLines(result.report, result.files)}\nApply logs: ${result.applyLogs.join(", ")}\n`);
      setExitCode(result.exitCode);
    });
  root
    .command("ci")
    .description("what the pull-request workflow runs: empty, pre-fix with demo data, upgrade from the base branch, rollback rehearsal, lint, verify")
    .option("--base-ref <ref>", "git ref of the base branch (upgrade path), e.g. origin/main")
    .option("--base-migrations <dir>", "or a folder with the base branch's migrations")
    .option("--scale <n>", "the larger generated scale of the demo", positive("--scale"), 10)
    .option("--report-dir <dir>", "output folder (default: reports)")
    .action(async (options: { baseRef?: string; baseMigrations?: string; scale: number; reportDir?: string }) => {
      const root = findWorkspaceRoot();
      const say = (line: string) => process.stderr.write(`${line}\n`);
      const result = await ciCommand({ baseRef: options.baseRef, baseMigrations: options.baseMigrations, scale: options.scale, reportDir: options.reportDir ?? join(root, "reports") }, { env: readEnv(), workspaceRoot: root, say });
      process.stdout.write(`${renderCiMarkdown(result.steps)}\n`);
      setExitCode(result.exitCode);
    });
  root
    .command("comment")
    .description("create or update the one PR comment (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH)")
    .option("--file <file>", "the comment body (default: reports/pr-comment.md)")
    .action(async (options: { file?: string }) => {
      const env = readEnv();
      if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY || !env.GITHUB_EVENT_PATH) {
        throw new ToolkitError({ code: "verifier.comment.not-in-actions", summary: "GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_EVENT_PATH are needed.", fix: "Run this step in a pull_request workflow." });
      }
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as { pull_request?: { number?: number } };
      const issueNumber = event.pull_request?.number;
      if (!issueNumber) throw new ToolkitError({ code: "verifier.comment.no-pull-request", summary: "The event is not a pull request.", fix: "Run this step on pull_request events." });
      const body = await readFile(options.file ?? join(findWorkspaceRoot(), "reports", "pr-comment.md"), "utf8");
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
