import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { callEngine, noSchemaFilter, openSchemaEngine, readMigrationList } from "@soleflip/schema-engine";
import type { Check, CheckFinding } from "./check.ts";

/**
 * Drift as Prisma sees it, with Prisma's own engine: live database → schema (introspection only), and
 * migrations → schema (replayed into a shadow database on the scratch server).
 */
export const noDrift: Check = {
  id: "no-drift",
  title: "Drift (database vs schema, migrations vs schema, by Prisma's engine)",
  async run({ databaseUrl, serverUrl, schemaPath, migrationsDir }) {
    const content = await readFile(schemaPath, "utf8");
    const files = [{ path: schemaPath, content }];
    const findings: CheckFinding[] = [];
    const live = await openSchemaEngine({ datamodels: [[schemaPath, content]], url: databaseUrl });
    try {
      const diff = await callEngine(live, (e) =>
        e.diff({ from: { tag: "schemaDatasource", files, configDir: dirname(schemaPath) }, to: { tag: "schemaDatamodel", files }, script: false, exitCode: true, filters: noSchemaFilter }),
      );
      if (diff.exitCode !== 0) findings.push({ subject: "database → schema", expected: "no difference", actual: (diff.stdout ?? "").trim(), message: `the database differs from the schema:\n${(diff.stdout ?? "").trim()}` });
    } finally {
      live.free();
    }
    const shadow = await openSchemaEngine({ datamodels: [[schemaPath, content]], url: serverUrl });
    try {
      const history = { tag: "migrations" as const, ...(await readMigrationList(migrationsDir)) };
      const diff = await callEngine(shadow, (e) => e.diff({ from: history, to: { tag: "schemaDatamodel", files }, script: false, exitCode: true, filters: noSchemaFilter }));
      if (diff.exitCode !== 0) findings.push({ subject: "migrations → schema", expected: "no difference", actual: (diff.stdout ?? "").trim(), message: `the migrations do not produce the schema:\n${(diff.stdout ?? "").trim()}` });
    } finally {
      shadow.free();
    }
    return {
      status: findings.length === 0 ? "pass" : "fail",
      summary: findings.length === 0 ? "No drift: the database and the migrations both match the schema (Prisma's diff is empty)." : `${findings.length} drift(s) found.`,
      findings,
      sql: ["prisma migrate diff --from-config-datasource --to-schema (in-process)", "prisma migrate diff --from-migrations --to-schema (in-process, shadow database)"],
      compared: 2,
    };
  },
};
