import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { readWholeLiveSchema } from "@soleflip/catalog";
import { ExitCode, outputDir, ToolkitError, toToolkitError, type OutputDir } from "@soleflip/core";
import { readLocalMigrations } from "@soleflip/history";
import { countsAgainst, lintMigrations } from "@soleflip/lint";
import { acquireDatabase, acquireScratchServer, createScratchDatabase, serverVersionNum, withClient, withDatabase } from "@soleflip/postgres";
import type { PrismaProject } from "@soleflip/project";
import { markdownTable, writeReport, type Report } from "@soleflip/report";
import { recogniseMigrations, rollbackMigrations, runMigrations } from "@soleflip/runner";
import { verifyDatabase } from "@soleflip/verification";
import { embeddedSettings, type VerifierEnv } from "../env.ts";
import { defaultDemoPrefix, demoCommand } from "./demo.ts";

const run = promisify(execFile);

export interface CiArgs {
  /** A git ref whose migrations are the upgrade path's starting point (e.g. origin/main). */
  baseRef?: string | undefined;
  /** Or a folder holding them. */
  baseMigrations?: string | undefined;
  scale: number;
  /** Where its files go (a run folder made when first needed, unless a folder is given). */
  reportDir: OutputDir;
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
async function migrationsAt(ref: string, into: string, repoRoot: string, migrationsDir: string): Promise<string> {
  const path = relative(repoRoot, migrationsDir);
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
 * What the pull-request workflow runs: the migrations applied to an empty database, to the first
 * migration's state with demo data (the main report), and to the base branch's head (the upgrade path);
 * the new migrations rehearsed down then up; lint; verify and drift on each. Writes reports/ci.md, and
 * the PR comment with the CI table before the report (kept under GitHub's limit).
 */
export async function ciCommand(args: CiArgs, deps: { env: VerifierEnv; project: PrismaProject; workspaceRoot: string; say: (line: string) => void }): Promise<{ steps: CiStep[]; exitCode: ExitCode }> {
  const steps: CiStep[] = [];
  let report: Report | undefined;
  const step = async (id: string, title: string, body: () => Promise<{ ok: boolean; detail: string }>) => {
    deps.say(`ci: ${title}`);
    const started = performance.now();
    try {
      const { ok, detail } = await body();
      steps.push({ id, title, status: ok ? "pass" : "fail", detail, durationMs: Math.round(performance.now() - started) });
    } catch (error) {
      const failure = toToolkitError(error);
      // A tool failure is not a finding: it stops the run with exit 1 (and the CI table says where).
      steps.push({ id, title, status: "fail", detail: `${failure.code}: ${failure.summary}`, durationMs: Math.round(performance.now() - started) });
      throw error;
    }
  };
  const settings = { workspaceRoot: deps.workspaceRoot, ...embeddedSettings(deps.env) };
  const server = await acquireDatabase({ databaseUrl: deps.env.DATABASE_URL, session: { directDatabaseUrl: deps.env.DIRECT_DATABASE_URL }, ...settings });
  const workdir = await mkdtemp(join(tmpdir(), "sf-ci-"));
  try {
    const scratch = await acquireScratchServer({ shadowDatabaseUrl: deps.env.SHADOW_DATABASE_URL, sameMajorAs: server.url, ...settings });
    const project = deps.project;
    const verify = (url: string) => verifyDatabase({ databaseUrl: url, scratchAdminUrl: scratch.adminUrl, project });
    const passes = (result: Awaited<ReturnType<typeof verify>>) => `${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} checks pass`;
    try {
      const demoDatabase = args.databasePrefix ?? defaultDemoPrefix(project, deps.workspaceRoot);
      const head = recogniseMigrations(await readLocalMigrations(project.migrationsDir));
      let baseDir: string | undefined;
      if (args.baseMigrations) baseDir = args.baseMigrations;
      else if (args.baseRef) baseDir = await migrationsAt(args.baseRef, workdir, deps.workspaceRoot, project.migrationsDir);
      const baseNames = baseDir ? new Set((await readdir(baseDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)) : undefined;
      const added = head.filter((m) => !baseNames?.has(m.name)).map((m) => m.name);
      const first = head[0]?.name;
      const rehearse = (added.length > 0 ? added : [head.at(-1)?.name ?? ""]).filter((name) => name && name !== first);

      await step("empty", "migrations applied to an empty database, verified", async () => {
        const db = await createScratchDatabase(server.adminUrl, { prefix: "sf_ci_empty" });
        try {
          const log = await runMigrations({ databaseUrl: db.url, migrationsDir: project.migrationsDir });
          const result = await verify(db.url);
          return { ok: log.outcome === "applied" && result.status === "pass", detail: `${log.outcome}; ${passes(result)}` };
        } finally {
          await db.drop();
        }
      });

      if (baseDir) {
        const base = baseDir;
        await step("upgrade", "upgrade path: base branch's migrations, then this branch's, verified", async () => {
          const db = await createScratchDatabase(server.adminUrl, { prefix: "sf_ci_upgrade" });
          try {
            const before = await runMigrations({ databaseUrl: db.url, migrationsDir: base });
            const after = await runMigrations({ databaseUrl: db.url, migrationsDir: project.migrationsDir });
            const result = await verify(db.url);
            const ok = ["applied", "up-to-date"].includes(before.outcome) && ["applied", "up-to-date"].includes(after.outcome) && result.status === "pass";
            return { ok, detail: `base ${before.outcome}, head ${after.outcome} (${added.length} new migration(s)); ${passes(result)}` };
          } finally {
            await db.drop();
          }
        });
      }

      await step("demo", "first migration's state with demo data: measure, migrate, measure, verify (the report)", async () => {
        const demo = await demoCommand({ scale: args.scale, runs: 5, reportDir: args.reportDir, databasePrefix: demoDatabase }, { env: deps.env, project, workspaceRoot: deps.workspaceRoot, say: deps.say });
        report = demo.report;
        return { ok: demo.exitCode === ExitCode.Ok, detail: `${demo.report.applyLog?.outcome ?? "?"}; ${passes(demo.report.verification)}` };
      });

      if (rehearse.length > 0) {
        await step("rehearsal", `rollback rehearsal: ${rehearse.join(", ")} down, then up again, verified`, async () => {
          const url = withDatabase(server.adminUrl, demoDatabase);
          const down = await rollbackMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, names: rehearse });
          if (down.outcome !== "rolled-back") return { ok: false, detail: `down: ${down.outcome}: ${down.preflight.filter((p) => !p.passed).map((p) => p.message).join("; ")}` };
          const up = await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, scratchServer: async () => scratch });
          const result = await verify(url);
          return { ok: up.outcome === "applied" && result.status === "pass", detail: `down: ${down.rolledBack.map((r) => `${r.name} (${r.steps} steps, ${r.durationMs} ms)`).join(", ")}; up: ${up.outcome}; ${passes(result)}` };
        });
      }

      await step("lint", "lint of the new migrations (squawk + our rules, with the demo database's structure and data)", async () => {
        const targets = head.filter((m) => rehearse.includes(m.name));
        const url = withDatabase(server.adminUrl, demoDatabase);
        const findings = await withClient(url, async (client) => lintMigrations(targets, { client, structure: await readWholeLiveSchema(client), serverVersionNum: await serverVersionNum(client) }));
        const open = countsAgainst(findings);
        return { ok: open.length === 0, detail: open.length === 0 ? `no findings (${findings.length - open.length} suppressed or for information)` : open.map((f) => `${f.file}:${f.line} ${f.rule}`).join("; ") };
      });
      return await finish(steps, args, report);
    } finally {
      await scratch.release();
    }
  } catch (error) {
    await finish(steps, args, report).catch(() => undefined);
    throw error;
  } finally {
    await rm(workdir, { recursive: true, force: true });
    await server.release();
  }
}

/** Writes ci.md, ci.json and (when the demo ran) the report again, with the CI table first in the PR comment. */
async function finish(steps: CiStep[], args: CiArgs, report: Report | undefined): Promise<{ steps: CiStep[]; exitCode: ExitCode }> {
  const markdown = renderCiMarkdown(steps);
  const dir = await outputDir(args.reportDir);
  await writeFile(join(dir, "ci.md"), markdown);
  await writeFile(join(dir, "ci.json"), `${JSON.stringify(steps, null, 2)}\n`);
  if (report) await writeReport(report, dir, { commentBefore: [markdown] });
  return { steps, exitCode: steps.every((s) => s.status === "pass") ? ExitCode.Ok : ExitCode.Findings };
}

export function renderCiMarkdown(steps: readonly CiStep[]): string {
  const rows = steps.map((s) => [s.status === "pass" ? "✅" : "❌", s.title, s.detail, `${(s.durationMs / 1000).toFixed(1)} s`]);
  return ["## Pull-request schema checks", "", markdownTable(["", "step", "result", "time"], rows), ""].join("\n");
}

