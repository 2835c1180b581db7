import type { LiveSchema } from "@soleflip/catalog";
import { alternativeFor, HAZARDS, planOperation, unacknowledgedHazards } from "@soleflip/planner";
import type { Rule } from "./rule.ts";

const NOTHING: LiveSchema = { schemas: [], tables: [], columns: [], foreignKeys: [], constraints: [], indexes: [], enums: [] };

/**
 * A statement that destroys data or rewrites a table under ACCESS EXCLUSIVE, as the plan decides it
 * against the structure the migration applies to (a VARCHAR widening rewrites nothing; Int → BigInt
 * does). The runner refuses it without `-- migrator:allow-hazard <HAZARD>: <reason>`.
 */
export const banUnacknowledgedHazard: Rule = {
  id: "ban-unacknowledged-hazard",
  summary: "A statement that drops data or rewrites a table needs `-- migrator:allow-hazard <HAZARD>: <reason>`.",
  needsDatabase: false,
  check({ migration, structure, serverVersionNum }) {
    return migration.operations.flatMap((operation) => {
      const planned = planOperation(operation, { live: structure ?? NOTHING, serverVersionNum });
      const missing = unacknowledgedHazards(planned);
      if (missing.length === 0) return [];
      const step = planned.steps.find((s) => s.hazards.some((h) => missing.includes(h)));
      const statement = operation.statements.at(-1);
      const alternative = alternativeFor(operation);
      return [{
        level: "error" as const,
        line: statement?.line ?? 1,
        message: `${operation.id}: ${step?.description ?? operation.kind} takes ${step?.lock ?? "a"} lock on ${step?.tables.join(", ") || "its table"} and ${missing.map((hazard) => HAZARDS[hazard]).join("; ")}.`,
        help: `Acknowledge it with ${missing.map((hazard) => `"-- migrator:allow-hazard ${hazard}: <why it is safe>"`).join(" and ")} right before the statement${alternative ? `, or instead: ${alternative}` : ""}.`,
        hazards: missing,
      }];
    });
  },
};
