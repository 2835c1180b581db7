import { readDirectives, type ParsedStatement } from "@soleflip/sql";
import { Fragments } from "./fragments.ts";
import type { Operation } from "./operations.ts";
import { rawOperation } from "./operations/raw.ts";
import { OPERATIONS, RECOGNITION_ORDER } from "./registry.ts";

export interface Recognised {
  operations: Operation[];
  /** Directive mistakes and statements that cannot be handled; they stop the run before any change. */
  problems: string[];
}

/**
 * Turns a migration's statements into operations that state an end result ("this foreign key exists
 * with these actions and is validated") rather than steps, so the runner can decide from the live
 * definitions what is left to do. Each operation module claims its fragments in RECOGNITION_ORDER.
 */
export function recogniseOperations(statements: readonly ParsedStatement[], source: string): Recognised {
  const fragments = new Fragments(statements, source);
  for (const kind of RECOGNITION_ORDER) OPERATIONS[kind].recognise(fragments);
  return { operations: groupRaw(fragments.result()), problems: fragments.problems };
}

/** A migration's gate (`-- migrator:gate`) stays an operation of its own: the runner runs it apart, first. */
export function isGate(operation: Operation): boolean {
  return operation.kind === "raw" && operation.statements.some((statement) => readDirectives(statement.comments).gate === true);
}

/** Consecutive transactional raw statements form one all-or-nothing step (a gate stays alone). */
function groupRaw(operations: Operation[]): Operation[] {
  const result: Operation[] = [];
  for (const operation of operations) {
    const previous = result.at(-1);
    if (operation.kind === "raw" && operation.transactional && previous?.kind === "raw" && previous.transactional && !isGate(operation) && !isGate(previous)) {
      const merged = rawOperation([...previous.statements, ...operation.statements], 0, true);
      result[result.length - 1] = { ...merged, id: previous.id };
      continue;
    }
    result.push(operation);
  }
  return result;
}
