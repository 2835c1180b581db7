import type { ObservationSummary, ObservedStep } from "./analyse.ts";
import type { RehearsalConfig } from "./config.ts";

/** A rehearsal finding: data, with a stable code and what to do about it. */
export interface RehearsalFinding {
  code: "rehearsal.write-block-over-budget" | "rehearsal.unacknowledged-rewrite" | "rehearsal.unpredicted-lock";
  migration: string;
  step: string;
  message: string;
  fix: string;
}

/**
 * The gate: a statement that made writes wait longer than the budget, rewrote a table the plan did not
 * call a rewrite (so nobody acknowledged it), or held a lock the plan did not predict.
 */
export function judgeObservation(summary: ObservationSummary, config: Pick<RehearsalConfig, "writeBlockBudgetMs">): RehearsalFinding[] {
  return summary.steps.flatMap((step) => [...overBudget(step, config.writeBlockBudgetMs), ...unacknowledgedRewrites(step), ...unpredicted(step)]);
}

function where(step: ObservedStep): Pick<RehearsalFinding, "migration" | "step"> {
  return { migration: step.migration, step: `${step.operationId}: ${step.description}` };
}

function overBudget(step: ObservedStep, budgetMs: number): RehearsalFinding[] {
  if (step.writesBlocked.longestMs <= budgetMs) return [];
  return [
    {
      code: "rehearsal.write-block-over-budget",
      ...where(step),
      message: `a write to ${step.writesBlocked.tables.join(", ")} waited ${step.writesBlocked.longestMs} ms behind this step (budget ${budgetMs} ms; ${step.writesBlocked.count} write(s) blocked)`,
      fix: "Use the online form (CONCURRENTLY, NOT VALID then VALIDATE, batched repair), split the change, or raise writeBlockBudgetMs in rehearsal.config.json if the wait is acceptable.",
    },
  ];
}

function unacknowledgedRewrites(step: ObservedStep): RehearsalFinding[] {
  if (step.rewrites.length === 0 || step.hazards.includes("REWRITES_TABLE")) return [];
  return [
    {
      code: "rehearsal.unacknowledged-rewrite",
      ...where(step),
      message: `rewrote ${step.rewrites.join(", ")} (new relfilenode), which the plan did not call a rewrite`,
      fix: "Report it (the planner's rewrite rules missed this form), and acknowledge it in the migration with -- migrator:allow-hazard REWRITES_TABLE: <why> if it is acceptable.",
    },
  ];
}

function unpredicted(step: ObservedStep): RehearsalFinding[] {
  return step.mismatches.map((message) => ({
    code: "rehearsal.unpredicted-lock" as const,
    ...where(step),
    message,
    fix: "Report it: the plan's lock prediction for this statement is wrong. Check the statement against PostgreSQL's lock table before running it in production.",
  }));
}
