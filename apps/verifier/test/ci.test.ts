import { cp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { soleflipProject } from "@soleflip/db/paths";
import { adminDatabaseUrl, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { ciCommand } from "../src/commands/ci.ts";

describe("the pull-request schema check (what the workflow runs)", () => {
  it("applies to empty, upgrades from the base branch, runs the demo, rehearses down/up, lints, and says so in the PR comment", async () => {
    const work = await tempDir("sf-ci-test");
    // the base branch: the history without its newest migration (as if this PR added it)
    const base = join(work, "base");
    await cp(soleflipProject.migrationsDir, base, { recursive: true });
    await rm(join(base, "20251117000200_enrichment_partial_indexes"), { recursive: true });
    const reportDir = join(work, "reports");
    const result = await ciCommand({ baseMigrations: base, scale: 2, reportDir, databasePrefix: "sf_ci_test_demo" }, { env: { DATABASE_URL: adminDatabaseUrl(), SHADOW_DATABASE_URL: adminDatabaseUrl() }, project: soleflipProject, workspaceRoot: work, say: () => undefined });
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ["empty", "pass"],
      ["upgrade", "pass"],
      ["demo", "pass"],
      ["rehearsal", "pass"],
      ["lint", "pass"],
    ]);
    expect(result.steps.find((s) => s.id === "rehearsal")?.detail).toContain("20251117000200_enrichment_partial_indexes");
    expect(result.exitCode).toBe(0);
    const comment = await readFile(join(reportDir, "pr-comment.md"), "utf8");
    expect(comment.startsWith("<!-- soleflip-schema-report -->\n## Pull-request schema checks")).toBe(true);
    expect(comment).toContain("schema report ✅");
    expect(comment.length).toBeLessThan(65_000);
    expect(comment.match(/<!-- soleflip-schema-report -->/g)).toHaveLength(1);
  });
});
