import { mkdir, writeFile } from "node:fs/promises";
import { parseStatements } from "@soleflip/sql";
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
 * Where Prisma sees the project's own migrations make something else than ours at a step, and why: each a
 * fact of the project's history (its migration named), not of the toolkit. Objects made by hand-written
 * SQL outside the schema, which a replay from the schema cannot make, and commits whose migrations did
 * not match their own schema. Prisma's diff from theirs to ours must consist of exactly these statements
 * from `from` to `to` (inclusive); anything else fails.
 */
const KNOWN_DIFFERENCES: Record<string, Array<{ from: number; to?: number; because: string; statements: string[] }>> = {
  hoppscotch: [
    {
      from: 14,
      because: "20240226053141_full_text_search_additions adds generated tsvector columns and their GIN indexes by hand; the schema does not declare them",
      statements: ['DROP INDEX "public"."TeamCollection_textSearch_idx"', 'DROP INDEX "public"."TeamRequest_textSearch_idx"', 'ALTER TABLE "public"."TeamCollection" DROP COLUMN "titlesearch"', 'ALTER TABLE "public"."TeamRequest" DROP COLUMN "titlesearch"'],
    },
    {
      from: 24,
      because: "20251016080714_mock_server adds GIN expression indexes (with a function and triggers) by hand; the schema does not declare them",
      statements: ['DROP INDEX "public"."idx_mock_examples_team_requests_gin"', 'DROP INDEX "public"."idx_mock_examples_user_requests_gin"'],
    },
  ],
  umami: [
    {
      from: 12,
      to: 12,
      because: "01_init, written by hand to replace 20210320112717_init, keeps Prisma 2's index names (account.username_unique) and ON UPDATE NO ACTION, where the schema of the commit says Prisma 3's names and its defaults",
      statements: [
        "ALTER TABLE \"public\".\"event\" DROP CONSTRAINT \"event_session_id_fkey\"",
        "ALTER TABLE \"public\".\"event\" DROP CONSTRAINT \"event_website_id_fkey\"",
        "ALTER TABLE \"public\".\"pageview\" DROP CONSTRAINT \"pageview_session_id_fkey\"",
        "ALTER TABLE \"public\".\"pageview\" DROP CONSTRAINT \"pageview_website_id_fkey\"",
        "ALTER TABLE \"public\".\"session\" DROP CONSTRAINT \"session_website_id_fkey\"",
        "ALTER TABLE \"public\".\"website\" DROP CONSTRAINT \"website_user_id_fkey\"",
        "ALTER TABLE \"public\".\"event\" ADD CONSTRAINT \"event_session_id_fkey\" FOREIGN KEY (\"session_id\") REFERENCES \"public\".\"session\"(\"session_id\") ON DELETE CASCADE ON UPDATE NO ACTION",
        "ALTER TABLE \"public\".\"event\" ADD CONSTRAINT \"event_website_id_fkey\" FOREIGN KEY (\"website_id\") REFERENCES \"public\".\"website\"(\"website_id\") ON DELETE CASCADE ON UPDATE NO ACTION",
        "ALTER TABLE \"public\".\"pageview\" ADD CONSTRAINT \"pageview_session_id_fkey\" FOREIGN KEY (\"session_id\") REFERENCES \"public\".\"session\"(\"session_id\") ON DELETE CASCADE ON UPDATE NO ACTION",
        "ALTER TABLE \"public\".\"pageview\" ADD CONSTRAINT \"pageview_website_id_fkey\" FOREIGN KEY (\"website_id\") REFERENCES \"public\".\"website\"(\"website_id\") ON DELETE CASCADE ON UPDATE NO ACTION",
        "ALTER TABLE \"public\".\"session\" ADD CONSTRAINT \"session_website_id_fkey\" FOREIGN KEY (\"website_id\") REFERENCES \"public\".\"website\"(\"website_id\") ON DELETE CASCADE ON UPDATE NO ACTION",
        "ALTER TABLE \"public\".\"website\" ADD CONSTRAINT \"website_user_id_fkey\" FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"account\"(\"user_id\") ON DELETE NO ACTION ON UPDATE NO ACTION",
        "ALTER INDEX \"public\".\"account.username_unique\" RENAME TO \"account_username_key\"",
        "ALTER INDEX \"public\".\"session.session_uuid_unique\" RENAME TO \"session_session_uuid_key\"",
        "ALTER INDEX \"public\".\"website.share_id_unique\" RENAME TO \"website_share_id_idx\"",
        "ALTER INDEX \"public\".\"website.website_uuid_unique\" RENAME TO \"website_website_uuid_key\"",
      ],
    },
    {
      from: 13,
      to: 15,
      because: "02_add_event_data renames event to _event_old, creates a new event table, and leaves _event_old there; the schema has no such table",
      statements: ['DROP TABLE "public"."_event_old"'],
    },
  ],
  langfuse: [
    {
      from: 33,
      to: 33,
      because: "20230809132331_add_project_id_to_observations adds observations.project_id nullable while the commit's schema already says it is required (a later migration sets NOT NULL)",
      statements: ['ALTER TABLE "public"."observations" ALTER COLUMN "project_id" SET NOT NULL'],
    },
  ],
};

/** The author's edits in a line: "acknowledged DELETES_DATA ×2, added the project's CREATE EXTENSION …". */
function editSummary(edits: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const edit of edits) {
    const kind = edit.replace(/ at line \d+$/, "");
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, count]) => (count > 1 ? `${kind} ×${count}` : kind)).join(", ");
}

/** The statements of Prisma's diff that no known difference of the project explains at this step. */
async function unexplained(project: string, step: StepResult): Promise<string[]> {
  if (!step.differences) return [];
  const allowed = new Set((KNOWN_DIFFERENCES[project] ?? []).filter((entry) => step.index >= entry.from && step.index <= (entry.to ?? Number.POSITIVE_INFINITY)).flatMap((entry) => entry.statements));
  return (await parseStatements(step.differences, "Prisma's diff")).map((statement) => statement.text).filter((text) => !allowed.has(text));
}

describe.each((ONLY ?? [...PROJECTS]).map((name) => [name] as const))("replaying %s's schema history", (name) => {
  it(`the first ${Number.isFinite(STEPS) ? STEPS : "all"} steps: create → (author's edits, --check) → migrate → verify → migrate again (a waiting contract's run, verify, a no-op), equivalent to the project's own migrations`, { timeout: 6 * 60 * 60_000 }, async () => {
    const project = loadProject(name);
    const count = Math.min(STEPS, project.steps.length);
    const results = await replayProject(project, {
      count,
      onStep: (step) => process.stderr.write(`[corpus] ${name} ${step.index + 1}/${count} ${step.create}${step.createMs ? ` in ${step.createMs} ms` : ""}${step.phases ? ` as ${step.phases.join(" + ")}` : ""}${step.edits.length ? ` (${editSummary(step.edits)})` : ""}${step.problem ? ` ✗ ${step.problem.split("\n")[0]}` : ""}\n`),
    });
    await mkdir(new URL("../reports/", import.meta.url), { recursive: true });
    await writeFile(new URL(`../reports/${name}.json`, import.meta.url), `${JSON.stringify({ project: name, source: project.source, steps: results }, null, 1)}\n`);

    const failed = results.find((step) => step.problem);
    expect(failed?.problem, `step ${failed?.index} (${failed?.commit} "${failed?.subject}")`).toBeUndefined();
    expect(results).toHaveLength(count);
    const differing = [];
    for (const step of results) {
      const left = await unexplained(name, step);
      if (left.length > 0) differing.push({ step: step.index, commit: step.commit, differences: left });
    }
    expect(differing).toEqual([]);
    // Something was compared: at least one step of the range shipped migrations of the project's own.
    expect(results.some((step) => step.differences !== undefined)).toBe(true);
  });
});
