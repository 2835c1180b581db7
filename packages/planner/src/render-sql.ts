import type { Operation } from "./operations.ts";
import { unacknowledgedHazards } from "./preflight.ts";
import { alternativeFor, planOperation } from "./registry.ts";
import { HAZARDS, type PlanContext } from "./types.ts";

/**
 * Writes operations as the online-safe SQL the runner would execute on a database in the state
 * `context.live`: foreign keys and CHECKs NOT VALID then VALIDATE, NOT NULL through a validated CHECK
 * (the form every supported PostgreSQL runs; the runner picks PostgreSQL 18's own form where it can),
 * indexes CONCURRENTLY, other statements as written. A hazard that needs acknowledgement gets a comment
 * saying what it risks and the two ways forward. Used to turn Prisma's generated SQL into a migration.
 */
export function renderOnlineSafeSql(operations: readonly Operation[], context: PlanContext): string {
  const blocks: string[] = [];
  for (const operation of operations) {
    if (operation.kind === "session-setting") continue;
    const planned = planOperation(operation, context);
    const notes = unacknowledgedHazards(planned).flatMap((hazard) => [
      `-- HAZARD ${hazard}: ${HAZARDS[hazard]}.`,
      `--   To accept it, add this line right above the statement: -- migrator:allow-hazard ${hazard}: <why it is safe>`,
      ...(alternativeFor(operation) ? [`--   Online alternative: ${alternativeFor(operation)}.`] : []),
    ]);
    const commentsOf = (statement: Operation["statements"][number] | undefined) =>
      statement?.comments.filter((comment) => !comment.startsWith("migrator")).map((comment) => `-- ${comment.replace(/[\r\n]+/g, " ")}`) ?? [];
    if (operation.kind === "raw" || operation.kind === "repair" || operation.kind === "replace-enum") {
      // Each statement keeps the comments written before it (Prisma's "-- CreateTable" and the like).
      const body = operation.statements.filter((s) => !("TransactionStmt" in s.node)).flatMap((statement, index) => [...(index === 0 ? [] : commentsOf(statement)), `${statement.text};`]);
      blocks.push([...commentsOf(operation.statements[0]), ...notes, ...(operation.kind === "replace-enum" ? ["BEGIN;", ...body, "COMMIT;"] : body)].join("\n"));
      continue;
    }
    if (planned.steps.length === 0) continue;
    // Names may hold any character: a line break in one must not end the comment.
    const header = `-- ${operation.kind} ${operation.id.replace(/^[^:]+:/, "").replace(/[\r\n]+/g, " ")}`;
    blocks.push([header, ...notes, ...planned.steps.flatMap((step) => step.sql.map((sql) => `${sql};`))].join("\n"));
  }
  return blocks.join("\n\n");
}
