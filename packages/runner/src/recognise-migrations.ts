import { ToolkitError } from "@soleflip/core";
import type { LocalMigration } from "@soleflip/history";
import { isGate, recogniseOperations, type Operation, type Raw } from "@soleflip/planner";
import { readDirectives } from "@soleflip/sql";

export interface RecognisedMigration extends LocalMigration {
  operations: Operation[];
  /** `-- migrator:contract-of`: the expand migration this one contracts (applied only in a later run). */
  contractOf?: string;
  /** `-- migrator:gate`: the DO block run first, read-only, before anything of the migration changes. */
  gate?: Raw;
}

/** Reads every migration's operations; any directive mistake or unsupported statement stops here, before a database is touched. */
export function recogniseMigrations(local: readonly LocalMigration[]): RecognisedMigration[] {
  const problems: string[] = [];
  const names = new Set(local.map((migration) => migration.name));
  const recognised = local.map((migration): RecognisedMigration => {
    const source = `${migration.name}/migration.sql`;
    const result = recogniseOperations(migration.statements, source);
    problems.push(...result.problems);
    const contractOf = migration.statements.map((statement) => readDirectives(statement.comments).contractOf).find((name) => name !== undefined);
    if (contractOf && !names.has(contractOf)) problems.push(`${source}: contract-of ${contractOf}: no such migration in the folder (the expand must come first in the history)`);
    if (contractOf && contractOf >= migration.name) problems.push(`${source}: contract-of ${contractOf}: the expand must sort before its contract`);
    const gates = result.operations.filter(isGate);
    for (const gate of gates) {
      const statement = gate.kind === "raw" ? gate.statements[0] : undefined;
      if (gate.kind === "raw" && (gate.statements.length !== 1 || !statement || !("DoStmt" in statement.node))) problems.push(`${source}:${statement?.line ?? 1}: a gate (-- migrator:gate) must be one DO block that raises when the migration must not run`);
    }
    if (gates.length > 1) problems.push(`${source}: one gate per migration (found ${gates.length})`);
    const gate = gates[0]?.kind === "raw" ? gates[0] : undefined;
    return { ...migration, operations: result.operations, ...(contractOf ? { contractOf } : {}), ...(gate ? { gate } : {}) };
  });
  if (problems.length > 0) {
    throw new ToolkitError({
      code: "migrator.migrations.invalid",
      summary: `The migrations cannot be applied as written:\n  ${problems.join("\n  ")}`,
      fix: "Fix the listed files; nothing was changed in the database.",
    });
  }
  return recognised;
}
