import type { LiveSchema } from "@soleflip/catalog";
import { readDirectives } from "@soleflip/sql";
import type pg from "pg";
import type { Operation } from "./operations.ts";
import { alternativeFor, preflightOperation } from "./registry.ts";
import { HAZARDS, HAZARDS_NEEDING_ACKNOWLEDGEMENT, type AddedColumn, type Hazard, type PlannedOperation, type PreflightResult } from "./types.ts";

export interface PendingPlan {
  migration: string;
  planned: PlannedOperation[];
}

/** Hazards the operation's statements acknowledge with `-- migrator:allow-hazard <HAZARD>: <reason>`. */
export function acknowledgedHazards(operation: Operation): Set<string> {
  return new Set(operation.statements.flatMap((statement) => readDirectives(statement.comments).allowHazards.map((a) => a.hazard)));
}

/** Hazards of a planned operation that need an acknowledgement the migration does not give. */
export function unacknowledgedHazards(planned: PlannedOperation): Hazard[] {
  const needed = [...new Set(planned.steps.flatMap((step) => step.hazards))].filter((hazard) => HAZARDS_NEEDING_ACKNOWLEDGEMENT.has(hazard));
  const acknowledged = acknowledgedHazards(planned.operation);
  return needed.filter((hazard) => !acknowledged.has(hazard));
}

/** Columns the pending operations add (their checks reason from the definition). */
export function addedColumnsOf(operations: readonly Operation[]): AddedColumn[] {
  return operations.flatMap((operation) =>
    operation.kind === "add-column" ? [{ table: operation.table, column: operation.column, notNull: operation.notNull, defaultSql: operation.defaultSql }] : [],
  );
}

/**
 * Read-only checks for everything pending, run before the first change in one REPEATABLE READ READ ONLY
 * transaction without parallel workers: every module's data checks (orphans, NULLs, duplicates, violations, values that do not
 * fit, rows that a required column cannot be added to) and, for every operation, the hazards that need
 * an acknowledgement.
 */
export async function runPreflight(
  client: pg.ClientBase,
  plans: readonly PendingPlan[],
  live: LiveSchema,
  serverVersionNum: number,
  options: { acknowledgeAll?: boolean } = {},
): Promise<PreflightResult[]> {
  const pending = plans.flatMap((plan) => plan.planned.map((p) => p.operation));
  const addedColumns = addedColumnsOf(pending);
  const results: PreflightResult[] = [];
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    // One process per check: parallel workers would take the server's other cores from the application
    // for checks that may as well take longer (they hold no lock that blocks anyone).
    await client.query("SET LOCAL max_parallel_workers_per_gather = 0");
    for (const plan of plans) {
      for (const planned of plan.planned) {
        if (planned.status === "present" || planned.status === "ignored") continue;
        results.push(...(await preflightOperation(planned.operation, { client, live, migration: plan.migration, pending, addedColumns, serverVersionNum })));
        if (!options.acknowledgeAll) {
          const hazard = hazardResult(plan.migration, planned);
          if (hazard) results.push(hazard);
        }
      }
    }
  } finally {
    await client.query("ROLLBACK");
  }
  return results;
}

export function hazardResult(migration: string, planned: PlannedOperation): PreflightResult | undefined {
  const needing = [...new Set(planned.steps.flatMap((step) => step.hazards))].filter((hazard) => HAZARDS_NEEDING_ACKNOWLEDGEMENT.has(hazard));
  if (needing.length === 0) return undefined;
  const missing = unacknowledgedHazards(planned);
  const alternative = alternativeFor(planned.operation);
  const tables = [...new Set(planned.steps.flatMap((step) => step.tables))];
  return {
    id: `hazard:${migration}:${planned.operation.id}`,
    migration,
    operationId: planned.operation.id,
    check: "hazard",
    table: tables.join(", "),
    columns: [],
    count: missing.length,
    sampleKeys: [],
    passed: missing.length === 0,
    sql: "",
    message:
      missing.length === 0
        ? `hazards ${needing.join(", ")} acknowledged in the migration`
        : `${planned.operation.id} ${missing.map((hazard) => HAZARDS[hazard]).join("; ")}: add "-- migrator:allow-hazard ${missing[0]}: <why it is safe>" right before the statement${alternative ? `, or instead: ${alternative}` : ""}`,
  };
}
