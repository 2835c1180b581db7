import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { ExitCode, ToolkitError, toToolkitError } from "@soleflip/core";
import { dbPackagePaths } from "@soleflip/db";
import { readLocalMigrations, rollbackMigrations, runMigrations } from "@soleflip/migrator";
import { countsAgainst, lintMigrations } from "@soleflip/migrator/lint";
import { acquireDatabase, createScratchDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { embeddedSettings, type VerifierEnv } from "../env.ts";
import { REPORT_MARKER } from "../report/render-markdown.ts";
import { verifyDatabase } from "../verify.ts";
import { demoCommand } from "./demo.ts";

const run = promisify(execFile);

export interface CiArgs {
  /** A git ref whose migrations are the upgrade path's starting point (e.g. origin/main). */
  baseRef?: string | undefined;
  /** Or a folder holding them. */
  baseMigrations?: string | undefined;
  scale: number;
  reportDir: string;
  databasePrefix?: string | undefined;
}

export interface CiStep {
  id: string;
  title: string;
  status: "pass" | "fail";
  detail: string;
  durationMs: number;
}

/** Copies the migrations folder as it is at `ref` (git archive), for the upgrade path. */
async function migrationsAt(ref: string, into: string, repoRoot: string): Promise<string> {
  const path = relative(repoRoot, dbPackagePaths.migrations);
  const archive = join(into, "base.tar");
  try {
    await run("git", ["-C", repoRoot, "archive", "--format=tar", "-o", archive, ref, path]);
    await run("tar", ["-xf", archive, "-C", into]);
  } catch (error) {
    throw new ToolkitError({ code: "verifier.ci.base-ref", summary: `Cannot read the migrations at ${ref}.`, fix: "Fetch the base branch (actions/checkout with fetch-depth: 0) or pass --base-migrations.", cause: error });
  }
  return join(into, path);
}

/**
 * What the pull-request workflow runs: the migrations applied to an empty database, to the pre-fix
 * production state with demo data (the main report), and to the base branch's head (the upgrade path);
 * the new migrations rehearsed down then up; lint; verify and drift on each. Writes reports/ci.md and
 * prepends it to the PR comment.
 */
export async function ciCommand(args: CiArgs, deps: { env: VerifierEnv; workspaceRoot: string; say: (line: string) => void }): Promise<{ steps: CiStep[]; exitCode: ExitCode }> {
  const steps: CiStep[] = [];
  const step = async (id: string, title: string, body: () => Promise<{ ok: boolean; detail: string }>) => {
    deps.say(`ci: ${title}`);
    const started = performance.now();
    try {
      const { ok, detail } = await body();
      steps.push({ id, title, status: ok ? "pass" : "fail", detail, durationMs: Math.round(performance.now() - started) });
    } catch (error) {
      const failure = toToolkitError(error);
      steps.push({ id, title, status: "fail", detail: `${failure.code}: ${failure.summary}`, durationMs: Math.round(performance.now() - started) });
    }
  };
  const server = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) });
  const workdir = await mkdtemp(join(tmpdir(), "sf-ci-"));
  const serverUrl = deps.env.SHADOW_DATABASE_URL ?? server.adminUrl;
  const verify = (url: string) => verifyDatabase({ databaseUrl: url, serverUrl, schemaPath: dbPackagePaths.schema, migrationsDir: dbPackagePaths.migrations });
  try {
    const demoDatabase = args.databasePrefix ?? "soleflip_demo";
    const head = await readLocalMigrations(dbPackagePaths.migrations);
    let baseDir: string | undefined;
    if (args.baseMigrations) baseDir = args.baseMigrations;
    else if (args.baseRef) baseDir = await migrationsAt(args.baseRef, workdir, deps.workspaceRoot);
    const baseNames = baseDir ? new Set((await readdir(baseDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)) : undefined;
    const added = head.filter((m) => !baseNames?.has(m.name)).map((m) => m.name);
    const rehearse = (added.length > 0 ? added : [head.at(-1)?.name ?? ""]).filter((name) => !name.endsWith("_baseline"));

    await step("empty", "migrations applied to an empty database, verified", async () => {
      const db = await createScratchDatabase(server.adminUrl, { prefix: "sf_ci_empty" });
      try {
        const log = await runMigrations({ databaseUrl: db.url, migrationsDir: dbPackagePaths.migrations });
        const result = await verify(db.url);
        return { ok: log.outcome === "applied" && result.status === "pass", detail: `${log.outcome}; ${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} checks pass` };
      } finally {
        await db.drop();
      }
    });

    if (baseDir) {
      const base = baseDir;
      await step("upgrade", "upgrade path: base branch's migrations, then this branch's, verified", async () => {
        const db = await createScratchDatabase(server.adminUrl, { prefix: "sf_ci_upgrade" });
        try {
          const first = await runMigrations({ databaseUrl: db.url, migrationsDir: base });
          const second = await runMigrations({ databaseUrl: db.url, migrationsDir: dbPackagePaths.migrations });
          const result = await verify(db.url);
          return { ok: ["applied", "up-to-date"].includes(first.outcome) && ["applied", "up-to-date"].includes(second.outcome) && result.status === "pass", detail: `base ${first.outcome}, head ${second.outcome} (${added.length} new migration(s)); ${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} checks pass` };
        } finally {
          await db.drop();
        }
      });
    }

    await step("pre-fix-demo", "pre-fix production state with demo data: measure, migrate, measure, verify (the report)", async () => {
      const demo = await demoCommand({ scale: args.scale, runs: 5, reportDir: args.reportDir, databasePrefix: demoDatabase }, { env: deps.env, workspaceRoot: deps.workspaceRoot, say: deps.say });
      return { ok: demo.exitCode === ExitCode.Ok, detail: `${demo.report.applyLog?.outcome ?? "?"}; ${demo.report.verification.checks.filter((c) => c.status === "pass").length}/${demo.report.verification.checks.length} checks pass` };
    });

    await step("rehearsal", `rollback rehearsal: ${rehearse.join(", ")} down, then up again, verified`, async () => {
      const url = withDatabase(server.adminUrl, demoDatabase);
      const down = await rollbackMigrations({ databaseUrl: url, migrationsDir: dbPackagePaths.migrations, names: rehearse });
      const up = await runMigrations({ databaseUrl: url, migrationsDir: dbPackagePaths.migrations });
      const result = await verify(url);
      return { ok: up.outcome === "applied" && result.status === "pass", detail: `down: ${down.rolledBack.map((r) => `${r.name} (${r.steps} steps, ${r.durationMs} ms)`).join(", ")}; up: ${up.outcome}; ${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} checks pass` };
    });

    await step("lint", "lint of the new migrations (squawk + our rules, with the demo database's data)", async () => {
      const targets = head.filter((m) => rehearse.includes(m.name));
      const findings = await withClient(withDatabase(server.adminUrl, demoDatabase), (client) => lintMigrations(targets, { client }));
      const open = countsAgainst(findings);
      return { ok: open.length === 0, detail: open.length === 0 ? `no findings (${findings.length} suppressed with a reason)` : open.map((f) => `${f.file}:${f.line} ${f.rule}`).join("; ") };
    });

    const markdown = renderCiMarkdown(steps);
    await mkdir(args.reportDir, { recursive: true });
    await writeFile(join(args.reportDir, "ci.md"), markdown);
    await writeFile(join(args.reportDir, "ci.json"), `${JSON.stringify(steps, null, 2)}\n`);
    const comment = join(args.reportDir, "pr-comment.md");
    const existing = await readFile(comment, "utf8").catch(() => `${REPORT_MARKER}\n`);
    await writeFile(comment, `${REPORT_MARKER}\n${markdown}\n${existing.replace(REPORT_MARKER, "").trimStart()}`);
    return { steps, exitCode: steps.every((s) => s.status === "pass") ? ExitCode.Ok : ExitCode.Findings };
  } finally {
    await rm(workdir, { recursive: true, force: true });
    await server.release();
  }
}

export function renderCiMarkdown(steps: readonly CiStep[]): string {
  const rows = steps.map((s) => `| ${s.status === "pass" ? "✅" : "❌"} | ${s.title} | ${s.detail.replaceAll("|", "\\|")} | ${(s.durationMs / 1000).toFixed(1)} s |`);
  return ["## Pull-request schema checks", "", "| | step | result | time |", "|---|---|---|---|", ...rows, ""].join("\n");
}

