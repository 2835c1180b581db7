import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PLAIN_PRISMA_CONFIG } from "@soleflip/db/paths";
import { adminDatabaseUrl, runRootScript, scratchDatabase, tempDir, type CommandRun } from "@soleflip/postgres/testing";
import { authorEdits, extensionStatements, type PrintedFinding } from "./author.ts";
import type { CorpusProject, CorpusStep } from "./corpus.ts";
import { theirsVersusOurs } from "./equivalence.ts";
import { asPrisma7 } from "./prisma7.ts";

/** What one step of a project's history did, through the root commands a user types. */
export interface StepResult {
  index: number;
  commit: string;
  subject: string;
  /** created: a migration written; no-changes: the schema change needs none; skipped: not PostgreSQL. */
  create: "created" | "no-changes" | "skipped";
  /** The exit code of `db:migrate:create` and the rules of the findings that counted. */
  createExit?: number | null;
  findings: string[];
  /** The author's edits to the file (acknowledged hazards, the project's CREATE EXTENSION). */
  edits: string[];
  /** The phases when create wrote the change in online form (expand, switch, contract). */
  phases?: string[];
  /**
   * Exit codes of `create --check` (after edits), `db:migrate`, `db:verify --no-performance`, and the second
   * `db:migrate` (a no-op, or the contract's run: then `verify` again and a third run, `last`, the no-op).
   */
  exits: { check?: number | null; migrate?: number | null; verify?: number | null; again?: number | null; verifyAfterContract?: number | null; last?: number | null };
  /** Prisma's diff from the project's own migrations (this commit) to the database ours made; "" when none. Undefined when the commit shipped no migration. */
  differences?: string | undefined;
  /** Why a commit that shipped migrations could not be compared. */
  notCompared?: string | undefined;
  /** Wall time of `db:migrate:create`, ms. */
  createMs?: number;
  /** Why the step failed; undefined when it went through. */
  problem?: string | undefined;
}

/** The JSON `--json` prints, after pnpm's own `$ node …` line. */
function printedJson<T>(run: CommandRun): T | undefined {
  const start = run.stdout.indexOf("\n{");
  const text = run.stdout.startsWith("{") ? run.stdout : start >= 0 ? run.stdout.slice(start + 1) : "";
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

const tail = (run: CommandRun) => `${run.stdout}${run.stderr}`.trim().split("\n").slice(-12).join("\n");

/**
 * Replays `count` steps of a project's schema history (from its first), each through
 * `pnpm db:migrate:create --json` → the author's edits and `create --check` when findings ask for them →
 * `pnpm db:migrate` → `pnpm db:verify --no-performance` → `pnpm db:migrate` again (nothing to do), then
 * compares the database with the project's own migrations at that commit. Stops at the first step that
 * fails: later steps build on it.
 */
export async function replayProject(project: CorpusProject, options: { count: number; onStep?: (result: StepResult) => void }): Promise<StepResult[]> {
  const root = await tempDir(`sf-corpus-${project.name}`);
  const migrationsDir = join(root, "prisma", "migrations");
  await mkdir(join(root, "prisma"), { recursive: true });
  await writeFile(join(root, "prisma.config.ts"), PLAIN_PRISMA_CONFIG);
  const config = join(root, "prisma.config.ts");
  const target = await scratchDatabase(`sf_corpus_${project.name}`);
  const env = { DATABASE_URL: target.url, SHADOW_DATABASE_URL: adminDatabaseUrl() };
  const run = (script: string, ...args: string[]) => runRootScript(script, [...args, "--config", config], env);
  const carried = new Set<string>();
  const results: StepResult[] = [];

  for (const step of project.steps.slice(0, options.count)) {
    const result = await replayStep(step);
    results.push(result);
    options.onStep?.(result);
    if (result.problem) break;
  }
  return results;

  async function replayStep(step: CorpusStep): Promise<StepResult> {
    const result: StepResult = { index: step.index, commit: step.commit, subject: step.subject, create: "skipped", findings: [], edits: [], exits: {} };
    if (step.provider !== "postgresql") return result;
    await writeFile(join(root, "prisma", "schema.prisma"), asPrisma7(step.schema));
    const before = new Set(await readdir(migrationsDir).catch(() => []));
    const started = performance.now();
    const created = await run("db:migrate:create", "--name", `step_${step.index}`, "--json");
    result.createMs = Math.round(performance.now() - started);
    result.createExit = created.exitCode;
    const printed = printedJson<{ status: string; directory?: string; findings: PrintedFinding[] }>(created);
    if (!printed || created.exitCode === 1) return { ...result, problem: `create exited ${created.exitCode}:\n${tail(created)}` };
    result.findings = printed.findings.filter((f) => f.level !== "info" && !f.suppressed).map((f) => f.rule);
    if (printed.status === "no-changes") {
      result.create = "no-changes";
    } else {
      result.create = "created";
      // One folder, or one per phase of an online form (`…_step_N_expand`, `_switch`, `_contract`), in order.
      const phaseOf = (name: string) => new RegExp(`_step_${step.index}(?:_(expand|switch|contract))?$`).exec(name);
      const folders = [...(await readdir(migrationsDir))].filter((name) => !before.has(name) && phaseOf(name)).sort();
      const folder = folders[0];
      if (!folder) return { ...result, problem: "create said it wrote a migration, and no new folder is there" };
      if (folders.length > 1 || phaseOf(folder)?.[1]) result.phases = folders.map((name) => phaseOf(name)?.[1] ?? name);
      // The author's edits go into the first file (an online form's expand: what runs first).
      const file = join(migrationsDir, folder, "migration.sql");
      // The project's hand-written extensions so far that ours has not made yet, as its team wrote them.
      const extensions = (await extensionStatements(step.theirMigrations)).filter((e) => !carried.has(e.extension));
      const edited = await authorEdits(await readFile(file, "utf8"), printed.findings, extensions.map((e) => e.statement));
      for (const e of extensions) carried.add(e.extension);
      result.edits = edited.edits;
      if (edited.edits.length > 0) {
        await writeFile(file, edited.sql);
        const checked = await run("db:migrate:create", "--check");
        result.exits.check = checked.exitCode;
        if (checked.exitCode !== 0) return { ...result, problem: `create --check after the author's edits exited ${checked.exitCode}:\n${tail(checked)}` };
      } else if (created.exitCode !== 0) {
        return { ...result, problem: `create exited ${created.exitCode} with findings the replay cannot answer: ${result.findings.join(", ")}\n${tail(created)}` };
      }
    }
    const migrated = await run("db:migrate");
    result.exits.migrate = migrated.exitCode;
    if (migrated.exitCode !== 0) return { ...result, problem: `db:migrate exited ${migrated.exitCode}:\n${tail(migrated)}` };
    const verified = await run("db:verify", "--no-performance", "--report-dir", join(root, "report"));
    result.exits.verify = verified.exitCode;
    if (verified.exitCode !== 0) return { ...result, problem: `db:verify exited ${verified.exitCode}:\n${tail(verified)}` };
    const again = await run("db:migrate");
    result.exits.again = again.exitCode;
    if (result.phases?.includes("contract")) {
      // The contract waits for a run after its expand's: this one (the next deploy). Then verify, and a no-op.
      if (again.exitCode !== 0 || /up to date/.test(again.stdout)) return { ...result, problem: `the second db:migrate did not run the waiting contract (exit ${again.exitCode}):\n${tail(again)}` };
      const verifiedAgain = await run("db:verify", "--no-performance", "--report-dir", join(root, "report"));
      result.exits.verifyAfterContract = verifiedAgain.exitCode;
      if (verifiedAgain.exitCode !== 0) return { ...result, problem: `db:verify after the contract exited ${verifiedAgain.exitCode}:\n${tail(verifiedAgain)}` };
      const last = await run("db:migrate");
      result.exits.last = last.exitCode;
      if (last.exitCode !== 0 || !/up to date/.test(last.stdout)) return { ...result, problem: `the third db:migrate was not a no-op (exit ${last.exitCode}):\n${tail(last)}` };
    } else if (again.exitCode !== 0 || !/up to date/.test(again.stdout)) {
      return { ...result, problem: `the second db:migrate was not a no-op (exit ${again.exitCode}):\n${tail(again)}` };
    }
    if (step.theirAdded.length > 0) {
      // Their history not applying on this server (PostgreSQL 18) is a fact about it, not about ours: reported, not compared.
      await theirsVersusOurs({ step, ourUrl: target.url, workDir: join(root, "theirs") }).then(
        (differences) => (result.differences = differences),
        (error: unknown) => (result.notCompared = `the project's own migrations do not apply here: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`),
      );
    }
    await rm(join(root, "report"), { recursive: true, force: true });
    return result;
  }
}
