import type { Finding } from "../finding.ts";
import { countsAgainst } from "../lint.ts";

/** Findings as JSON: every finding, and which of them count. */
export function renderFindingsJson(findings: readonly Finding[]): string {
  return `${JSON.stringify({ counted: countsAgainst(findings).length, findings }, null, 2)}\n`;
}
