import { mkdir, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadProject, PROJECTS } from "../src/corpus.ts";
import { replayProject, type StepResult } from "../src/replay.ts";

/**
 * Real projects' real schema histories (projects/, see NOTICE.md), replayed step by step through the
 * root commands. The default suite takes the first CORPUS_STEPS (10) of langfuse's; `pnpm corpus:replay`
 * takes every step of every project (CORPUS_PROJECTS=a,b and CORPUS_STEPS=n narrow it) and writes
 * tooling/corpus/reports/<project>.json with every step's outcome.
 */
const STEPS = process.env["CORPUS_STEPS"] === "all" ? Number.POSITIVE_INFINITY : Number(process.env["CORPUS_STEPS"] ?? 10);
// The default suite replays the largest project (langfuse: 71 models at the end); the full replay all of them.
const ONLY = process.env["CORPUS_PROJECTS"]?.split(",").filter(Boolean) ?? (Number.isFinite(STEPS) ? ["langfuse"] : undefined);

/**
 * Where Prisma sees our database differ from the one the project's own migrations make, and why: each a
 * fact of the project's history, not of the toolkit. Keyed by project and step.
 */
const KNOWN_DIFFERENCES: Record<string, { because: string; matches: RegExp }> = {};

describe.each((ONLY ?? [...PROJECTS]).map((name) => [name] as const))("replaying %s's schema history", (name) => {
  it(`the first ${Number.isFinite(STEPS) ? STEPS : "all"} steps: create → (author's edits, --check) → migrate → verify → migrate again, equivalent to the project's own migrations`, { timeout: 6 * 60 * 60_000 }, async () => {
    const project = loadProject(name);
    const count = Math.min(STEPS, project.steps.length);
    const results = await replayProject(project, {
      count,
      onStep: (step) => process.stderr.write(`[corpus] ${name} ${step.index + 1}/${count} ${step.create}${step.createMs ? ` in ${step.createMs} ms` : ""}${step.edits.length ? ` (${step.edits.join("; ")})` : ""}${step.problem ? ` ✗ ${step.problem.split("\n")[0]}` : ""}\n`),
    });
    await mkdir(new URL("../reports/", import.meta.url), { recursive: true });
    await writeFile(new URL(`../reports/${name}.json`, import.meta.url), `${JSON.stringify({ project: name, source: project.source, steps: results }, null, 1)}\n`);

    const failed = results.find((step) => step.problem);
    expect(failed?.problem, `step ${failed?.index} (${failed?.commit} "${failed?.subject}")`).toBeUndefined();
    expect(results).toHaveLength(count);
    const unexplained = results.filter((step: StepResult) => step.differences && !KNOWN_DIFFERENCES[`${name}/${step.index}`]?.matches.test(step.differences));
    expect(unexplained.map((step) => ({ step: step.index, commit: step.commit, differences: step.differences }))).toEqual([]);
    // Something was compared: at least one step of the range shipped migrations of the project's own.
    expect(results.some((step) => step.differences !== undefined)).toBe(true);
  });
});
