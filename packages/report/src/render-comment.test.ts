import { describe, expect, it } from "vitest";
import { fixtureReport } from "../test/report-fixture.ts";
import { COMMENT_LIMIT, renderPrComment } from "./render-comment.ts";
import { REPORT_MARKER, renderMarkdown } from "./render-markdown.ts";

describe("renderPrComment", () => {
  it("is the full report when it fits", () => {
    const report = fixtureReport();
    expect(renderPrComment(report)).toBe(renderMarkdown(report));
  });

  it("puts sections before the report and stays under the limit with everything it carries", () => {
    const report = fixtureReport();
    const ci = "## Pull-request schema checks\n\n| step | result |\n| - | - |\n| empty | ok |";
    const comment = renderPrComment(report, { before: [ci] });
    expect(comment.startsWith(`${REPORT_MARKER}\n## Pull-request schema checks`)).toBe(true);
    expect(comment).toContain("## Executive summary");
    const huge = renderPrComment(report, { before: [ci, "x\n".repeat(40_000), "y".repeat(30_000)] });
    expect(huge.length).toBeLessThan(COMMENT_LIMIT);
    expect(huge.startsWith(REPORT_MARKER)).toBe(true);
    expect(huge).toContain("(summary)");
  });

  it("falls back to a summary under the limit when the report is too large, keeping the marker", () => {
    const report = fixtureReport({ status: "fail" });
    report.verification.checks[1] = {
      ...report.verification.checks[1]!,
      status: "fail",
      summary: "2000 of 2032 indexes differ from the model.",
      findings: Array.from({ length: 2000 }, (_, i) => ({ subject: `catalog.idx_${i}`, expected: "x".repeat(60), actual: "missing", message: `no index like ${"x".repeat(60)}` })),
    };
    report.after.foreignKeys = Array.from({ length: 900 }, (_, i) => ({ ...report.after.foreignKeys[0]!, name: `fk_${i}_${"y".repeat(40)}` }));
    expect(renderMarkdown(report).length).toBeGreaterThan(COMMENT_LIMIT);
    const comment = renderPrComment(report);
    expect(comment.length).toBeLessThan(COMMENT_LIMIT);
    expect(comment.startsWith(REPORT_MARKER)).toBe(true);
    expect(comment).toContain("(summary)");
    expect(comment).toContain("❌ `indexes-match`");
    expect(comment).toContain("schema-report");
  });
});
