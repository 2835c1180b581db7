import { describe, expect, it } from "vitest";
import { fixtureReport } from "../test/report-fixture.ts";
import { REPORT_MARKER, renderMarkdown } from "./render-markdown.ts";

describe("renderMarkdown", () => {
  it("renders the fixed report exactly as recorded", async () => {
    await expect(renderMarkdown(fixtureReport())).toMatchFileSnapshot("./__snapshots__/report.md");
  });

  it("has the seed report's useful sections, starts with the marker, and says what it measured and how", () => {
    const markdown = renderMarkdown(fixtureReport());
    expect(markdown.startsWith(REPORT_MARKER)).toBe(true);
    for (const heading of ["## Executive summary", "## Pre- and post-migration state", "## Operations", "## Foreign keys", "## CHECK constraints", "## Verification", "## Performance of the critical queries", "## Rollback plan"]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain("no change claimed: same plan, the same 12 buffers (0.089 [0.085–0.093] ms before, 0.084 [0.080–0.088] ms after");
    expect(markdown).toContain("At this size the planner does not use idx_product_description_null");
    expect(markdown).toContain("| foreign key `inventory.stock.stock_size_id_fkey` | ON DELETE NO ACTION, ON UPDATE NO ACTION, NOT VALID | ON DELETE RESTRICT, ON UPDATE CASCADE |");
    expect(markdown).not.toMatch(/faster|slower/);
    expect(markdown).toContain("29 rows");
    expect(markdown).toContain("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), 3 runs");
  });

  it("names the session a step waited for, as the runner saw it", () => {
    const report = fixtureReport();
    const step = report.applyLog?.migrations[0]?.operations[0]?.steps[0];
    if (!step) throw new Error("the fixture has a step");
    step.lockWait = { wanted: "SHARE UPDATE EXCLUSIVE on inventory.stock", blockers: [{ pid: 4242, user: "app", applicationName: "nightly-report", state: "idle in transaction", since: "2025-11-17T06:29:58.000Z", heldMs: 12_500, queryFirstLine: "SELECT count(*) FROM inventory.stock" }] };
    expect(renderMarkdown(report)).toContain('waited for SHARE UPDATE EXCLUSIVE on inventory.stock, held by pid 4242 (user app, application "nightly-report", idle in transaction since 06:29:58Z (12.5 s)): SELECT count(*) FROM inventory.stock');
  });

  it("shows failing checks with their findings", () => {
    const report = fixtureReport({ status: "fail" });
    report.verification.checks[0] = {
      ...report.verification.checks[0]!,
      status: "fail",
      summary: "1 of 37 foreign keys differ from the model.",
      findings: [{ subject: "inventory.stock.stock_size_id_fkey", expected: "… ON DELETE RESTRICT", actual: "… NOT VALID", message: "not validated" }],
    };
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("# soleflip schema report ❌");
    expect(markdown).toContain("### ❌ Foreign keys");
    expect(markdown).toContain("| `inventory.stock.stock_size_id_fkey` | … ON DELETE RESTRICT | … NOT VALID |");
  });
});
