import { relative } from "node:path";
import { readSchemaFiles } from "@soleflip/project";
import { prismaDiff } from "@soleflip/schema-engine";
import type { Check, CheckFinding } from "./check.ts";

/**
 * Drift as Prisma sees it, with Prisma's own engine: the database → the schema (introspection, over a
 * read-only session), and the migrations → the schema (replayed into a shadow database on the scratch
 * server, never on the verified database's server).
 */
export const noDrift: Check = {
  id: "no-drift",
  title: "Drift (database vs schema, migrations vs schema, by Prisma's engine)",
  async run({ databaseUrl, scratchAdminUrl, project }) {
    const datamodels = await readSchemaFiles(project);
    const findings: CheckFinding[] = [];
    const database = await prismaDiff({ url: databaseUrl, datamodels, configDir: project.root, from: { tag: "database" }, to: { tag: "schema" }, script: false, readOnly: true });
    if (database.differs) findings.push({ subject: "database → schema", expected: "no difference", actual: database.text, message: `the database differs from the schema:\n${database.text}` });
    const history = await prismaDiff({ url: scratchAdminUrl, datamodels, configDir: project.root, from: { tag: "migrations", dir: project.migrationsDir }, to: { tag: "schema" }, script: false });
    if (history.differs) findings.push({ subject: "migrations → schema", expected: "no difference", actual: history.text, message: `the migrations do not produce the schema:\n${history.text}` });
    return {
      status: findings.length === 0 ? "pass" : "fail",
      summary: findings.length === 0 ? "No drift: the database and the migrations both match the schema (Prisma's diff is empty)." : `${findings.length} drift(s) found.`,
      findings,
      sql: [],
      // Prisma's CLI makes the same two comparisons; paths relative to the project's folder, so the lines run as written there.
      commands: [
        `npx prisma migrate diff --from-config-datasource --to-schema ${shellWord(relative(project.root, project.schemaPath))} --exit-code`,
        `npx prisma migrate diff --from-migrations ${shellWord(relative(project.root, project.migrationsDir))} --to-schema ${shellWord(relative(project.root, project.schemaPath))} --exit-code`,
      ],
      compared: 2,
    };
  },
};

/** A path as one shell word: as it is when it is plain, in single quotes otherwise. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
