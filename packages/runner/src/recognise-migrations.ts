import { ToolkitError } from "@soleflip/core";
import type { LocalMigration } from "@soleflip/history";
import { recogniseOperations, type Operation } from "@soleflip/planner";

export interface RecognisedMigration extends LocalMigration {
  operations: Operation[];
}

/** Reads every migration's operations; any directive mistake or unsupported statement stops here, before a database is touched. */
export function recogniseMigrations(local: readonly LocalMigration[]): RecognisedMigration[] {
  const problems: string[] = [];
  const recognised = local.map((migration) => {
    const result = recogniseOperations(migration.statements, `${migration.name}/migration.sql`);
    problems.push(...result.problems);
    return { ...migration, operations: result.operations };
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
