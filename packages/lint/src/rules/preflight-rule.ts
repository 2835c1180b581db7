import type { PreflightCheck } from "@soleflip/planner";
import type { Rule } from "./rule.ts";

/** Rules that turn a failing read-only pre-flight check on the current data into a lint error. */
export function preflightRule(id: string, check: PreflightCheck, summary: string, help: string): Rule {
  return {
    id,
    summary,
    needsDatabase: true,
    check({ migration, database }) {
      if (!database) return [];
      return database.preflight
        .filter((result) => result.check === check && !result.passed)
        .map((result) => {
          const statement = migration.operations.find((operation) => operation.id === result.operationId)?.statements.at(-1);
          return {
            level: "error" as const,
            line: statement?.line ?? 1,
            message: `${result.message}${result.sampleKeys.length ? ` (e.g. ${result.sampleKeys.slice(0, 3).join(", ")})` : ""}`,
            help,
          };
        });
    },
  };
}
