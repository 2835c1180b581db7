import type { Finding } from "../finding.ts";
import { countsAgainst } from "../lint.ts";

/** Findings for a terminal: one line each with its help, then the count. */
export function renderFindingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return "No lint findings.";
  const lines = findings.map(
    (f) =>
      `${f.file}:${f.line}: ${f.level} [${f.source === "squawk" ? "squawk/" : ""}${f.rule}] ${f.message}${f.suppressed ? ` (suppressed: ${f.suppressed})` : ""}${f.help && !f.suppressed && f.level !== "info" ? `\n    help: ${f.help}` : ""}`,
  );
  const open = countsAgainst(findings).length;
  const suppressed = findings.filter((f) => f.suppressed).length;
  const info = findings.filter((f) => !f.suppressed && f.level === "info").length;
  lines.push("", `${open} finding(s)${suppressed ? `, ${suppressed} suppressed` : ""}${info ? `, ${info} for information` : ""}.`);
  return lines.join("\n");
}
