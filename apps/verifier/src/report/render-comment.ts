import type { Report } from "./model.ts";
import { REPORT_MARKER, renderMarkdown } from "./render-markdown.ts";

/** GitHub rejects comments above 65,536 characters; stay clearly below. */
export const COMMENT_LIMIT = 65_000;

/**
 * The PR comment: the full report when it fits, otherwise a summary (status, failing checks, the
 * measured figures) that points at the artifact. Always starts with the marker, so it is found and
 * updated instead of duplicated.
 */
export function renderPrComment(report: Report, artifactHint = "the `schema-report` artifact of this run"): string {
  const full = renderMarkdown(report);
  if (full.length <= COMMENT_LIMIT) return full;
  const failing = report.verification.checks.filter((c) => c.status === "fail");
  const lines = [
    REPORT_MARKER,
    `# SoleFlip schema report ${report.status === "pass" ? "✅" : "❌"} (summary)`,
    "",
    `The full report is ${full.length.toLocaleString("en-US")} characters, over GitHub's comment limit; it is in ${artifactHint} and in the job summary.`,
    "",
    `- ${report.verification.checks.length - failing.length} of ${report.verification.checks.length} checks pass.`,
    ...failing.map((c) => `- ❌ \`${c.id}\`: ${c.summary}${c.findings[0] ? ` First: \`${c.findings[0].subject}\` — ${c.findings[0].message}` : ""}`),
    ...report.performance.flatMap((scale) =>
      scale.comparisons.map((c) => `- ${c.query.id} at ${scale.products.toLocaleString("en-US")} products: ${c.before ? `${c.before.medianMs} ms → ` : ""}${c.after.medianMs} ms (median, EXPLAIN ANALYZE).`),
    ),
  ];
  return `${lines.join("\n")}\n`;
}
