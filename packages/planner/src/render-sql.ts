import type { LiveSchema } from "@soleflip/catalog";
import type { Operation } from "./operations.ts";
import { unacknowledgedHazards } from "./preflight.ts";
import { actedOnEarlier, alternativeFor, planOperation } from "./registry.ts";
import { HAZARDS, type PlanContext, type PlannedOperation } from "./types.ts";

/** Kinds written as they are: their statements, not planned steps. */
const WRITTEN_AS_IS = new Set<Operation["kind"]>(["raw", "repair", "replace-enum"]);

/**
 * Writes operations as the online-safe SQL the runner would execute on a database in the state
 * `context.live`: foreign keys and CHECKs NOT VALID then VALIDATE, NOT NULL through a validated CHECK
 * (the form every supported PostgreSQL runs; the runner picks PostgreSQL 18's own form where it can),
 * indexes CONCURRENTLY, other statements as written. A hazard that needs acknowledgement gets a comment
 * saying what it risks and the two ways forward. Used to turn Prisma's generated SQL into a migration.
 *
 * Every operation is planned against the same state. When one of them acts on an object an earlier one
 * acts on too, or finds its work already done there (Prisma never writes a statement with nothing to
 * do, so an earlier statement of the same migration drops what this one adds back), the result says so
 * and the migration must be written with {@link renderOnlineSafeSqlStepwise} instead.
 */
export function renderOnlineSafeSql(operations: readonly Operation[], context: PlanContext): { sql: string; dependsOnEarlierOperations: boolean } {
  const blocks: string[] = [];
  // An operation on an object an earlier one acts on too (a foreign key dropped, then added back with
  // another definition) is planned against a state that no longer holds when it is reached.
  let dependsOnEarlierOperations = actedOnEarlier(operations, [context.live]).size > 0;
  for (const operation of operations) {
    if (operation.kind === "session-setting") continue;
    const planned = planOperation(operation, context);
    if (!WRITTEN_AS_IS.has(operation.kind) && planned.steps.length === 0) dependsOnEarlierOperations = true;
    const block = renderOperation(operation, planned);
    if (block) blocks.push(block);
  }
  return { sql: blocks.join("\n\n"), dependsOnEarlierOperations };
}

/** A database the stepwise rendering advances, one operation at a time. */
export interface RenderDatabase {
  readLive(): Promise<LiveSchema>;
  /** Runs one statement outside any transaction. */
  run(sql: string): Promise<void>;
}

/**
 * Like {@link renderOnlineSafeSql}, but each operation is planned against the state the operations
 * before it leave: after planning, its steps are run on `database` (a scratch copy), and the state is
 * read again. A DROP CONSTRAINT followed by the ADD CONSTRAINT that puts it back is then written as both.
 */
export async function renderOnlineSafeSqlStepwise(operations: readonly Operation[], serverVersionNum: number, database: RenderDatabase): Promise<string> {
  const blocks: string[] = [];
  for (const operation of operations) {
    if (operation.kind === "session-setting") continue;
    const planned = planOperation(operation, { live: await database.readLive(), serverVersionNum });
    const block = renderOperation(operation, planned);
    if (block) blocks.push(block);
    const statements = WRITTEN_AS_IS.has(operation.kind) ? operation.statements.filter((s) => !("TransactionStmt" in s.node)).map((s) => s.text) : planned.steps.flatMap((step) => step.sql);
    for (const sql of statements) await database.run(sql);
  }
  return blocks.join("\n\n");
}

function renderOperation(operation: Operation, planned: PlannedOperation): string | undefined {
  const notes = unacknowledgedHazards(planned).flatMap((hazard) => [
    `-- HAZARD ${hazard}: ${HAZARDS[hazard]}.`,
    `--   To accept it, add this line right above the statement: -- migrator:allow-hazard ${hazard}: <why it is safe>`,
    ...(alternativeFor(operation) ? [`--   Online alternative: ${alternativeFor(operation)}.`] : []),
  ]);
  const commentsOf = (statement: Operation["statements"][number] | undefined) =>
    statement?.comments.filter((comment) => !comment.startsWith("migrator")).map((comment) => `-- ${comment.replace(/[\r\n]+/g, " ")}`) ?? [];
  if (WRITTEN_AS_IS.has(operation.kind)) {
    // Each statement keeps the comments written before it (Prisma's "-- CreateTable" and the like).
    const body = operation.statements.filter((s) => !("TransactionStmt" in s.node)).flatMap((statement, index) => [...(index === 0 ? [] : commentsOf(statement)), `${statement.text};`]);
    return [...commentsOf(operation.statements[0]), ...notes, ...(operation.kind === "replace-enum" ? ["BEGIN;", ...body, "COMMIT;"] : body)].join("\n");
  }
  if (planned.steps.length === 0) return undefined;
  // Names may hold any character: a line break in one must not end the comment.
  const header = `-- ${operation.kind} ${operation.id.replace(/^[^:]+:/, "").replace(/[\r\n]+/g, " ")}`;
  return [header, ...notes, ...planned.steps.flatMap((step) => step.sql.map((sql) => `${sql};`))].join("\n");
}
