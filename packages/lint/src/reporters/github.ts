import { relative } from "node:path";
import type { Finding } from "../finding.ts";

/** GitHub's workflow-command escaping for annotation properties and messages. */
const escapeData = (text: string) => text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const escapeProperty = (text: string) => escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");

/**
 * Findings as GitHub Actions annotations (`::error file=…,line=…,title=…::message`), so they show on the
 * pull request's diff. Suppressed findings are left out; info findings are notices.
 */
export function renderFindingsGithub(findings: readonly Finding[], repositoryRoot: string): string {
  return findings
    .filter((finding) => !finding.suppressed)
    .map((finding) => {
      const command = finding.level === "info" ? "notice" : finding.level;
      const file = relative(repositoryRoot, finding.path);
      const title = `${finding.source === "squawk" ? "squawk/" : ""}${finding.rule}`;
      const message = `${finding.message}${finding.help && finding.level !== "info" ? `\n${finding.help}` : ""}`;
      return `::${command} file=${escapeProperty(file)},line=${finding.line},title=${escapeProperty(title)}::${escapeData(message)}`;
    })
    .join("\n");
}
