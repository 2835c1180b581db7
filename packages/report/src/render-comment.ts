import { changeWords } from "./claims.ts";
import type { Report } from "./model.ts";
import { REPORT_MARKER, renderMarkdown } from "./render-markdown.ts";
import { rehearsalSentence } from "./render-rehearsal.ts";

/** GitHub rejects comments above 65,536 characters; stay clearly below. */
export const COMMENT_LIMIT = 65_000;

/**
 * The PR comment: the marker, any sections placed before the report (the CI steps, the observed
 * rehearsal), then the full report when everything fits, otherwise a summary (status, failing checks,
 * the measured figures) that points at the artifact. Whatever it carries, it stays under the limit.
 */
export function renderPrComment(report: Report, options: { before?: string[]; artifactHint?: string } = {}): string {
  const artifactHint = options.artifactHint ?? "the `schema-report` artifact of this run";
  const before = (options.before ?? []).map((section) => section.trim()).filter(Boolean);
  const full = renderMarkdown(report).replace(`${REPORT_MARKER}\n`, "");
  const compose = (parts: string[]) => `${REPORT_MARKER}\n${parts.join("\n\n").trim()}\n`;
  const whole = compose([...before, full]);
  if (whole.length <= COMMENT_LIMIT) return whole;
  const failing = report.verification.checks.filter((c) => c.status === "fail");
  const summary = [
    `# ${report.project} schema report ${report.status === "pass" ? "✅" : "❌"} (summary)`,
    "",
    `The full report is ${whole.length.toLocaleString("en-US")} characters, over GitHub's comment limit; it is in ${artifactHint} and in the job summary.`,
    "",
    `- ${report.verification.checks.length - failing.length} of ${report.verification.checks.length} checks pass.`,
    ...failing.map((c) => `- ❌ \`${c.id}\`: ${c.summary}${c.findings[0] ? ` First: \`${c.findings[0].subject}\` — ${c.findings[0].message}` : ""}`),
    ...(report.rehearsal ? [`- ${rehearsalSentence(report.rehearsal)}`, ...report.rehearsal.findings.slice(0, 10).map((f) => `  - ❌ \`${f.code}\`: ${f.message}`)] : []),
    ...report.performance.flatMap((scale) =>
      scale.comparisons.flatMap((c) => (c.after ? [`- ${c.query.id} (${scale.label}): ${c.before ? `${changeWords(c.before, c.after)}; ${c.before.medianMs} ms → ` : ""}${c.after.medianMs} ms (median, EXPLAIN ANALYZE).`] : [])),
    ),
  ].join("\n");
  const withSummary = compose([...before, summary]);
  if (withSummary.length <= COMMENT_LIMIT) return withSummary;
  // Even the sections before the report are too long: keep what fits of them, and say so.
  const room = COMMENT_LIMIT - summary.length - REPORT_MARKER.length - 200;
  const kept = before.join("\n\n").slice(0, Math.max(0, room)).split("\n").slice(0, -1).join("\n");
  return compose([kept, `… (cut here to stay under GitHub's limit; the full text is in ${artifactHint})`, summary]);
}
