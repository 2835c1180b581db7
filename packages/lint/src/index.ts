export type { Finding } from "./finding.ts";
export { countsAgainst, lintMigrations, type LintOptions } from "./lint.ts";
export { RULES } from "./rules/index.ts";
export type { Rule, RuleContext } from "./rules/rule.ts";
export { SQUAWK_POLICY } from "./squawk-policy.ts";
export { renderFindingsText } from "./reporters/text.ts";
export { renderFindingsJson } from "./reporters/json.ts";
export { renderFindingsGithub } from "./reporters/github.ts";
