import type { LiveSchema } from "@soleflip/catalog";
import type { Operation } from "./operations.ts";
import { planOperation } from "./plan-operation.ts";

/**
 * Writes operations as the online-safe SQL the runner would execute on a database in the state `live`:
 * foreign keys NOT VALID, VALIDATE, then swapped in; NOT NULL through a validated CHECK; indexes
 * CONCURRENTLY; other statements as written. Used to turn Prisma's generated SQL into a migration file.
 */
export function renderOnlineSafeSql(operations: readonly Operation[], live: LiveSchema): string {
  const blocks: string[] = [];
  for (const operation of operations) {
    if (operation.kind === "session-setting") continue;
    if (operation.kind === "raw" || operation.kind === "repair") {
      blocks.push(operation.statements.map((statement) => `${statement.text};`).join("\n"));
      continue;
    }
    const planned = planOperation(operation, live);
    if (planned.steps.length === 0) continue;
    blocks.push([`-- ${operation.id.replace(/^[^:]+:/, `${operation.kind} `)}`, ...planned.steps.flatMap((step) => step.sql.map((sql) => `${sql};`))].join("\n"));
  }
  return blocks.join("\n\n");
}
