import { diffSnapshots, listModelSchemas, readLiveSchema, readSnapshot, type SnapshotDifference } from "@soleflip/catalog";
import { ToolkitError } from "@soleflip/core";
import type { LocalMigration } from "@soleflip/history";
import { managedObjectsOf, type Operation } from "@soleflip/planner";
import { createScratchDatabase, withClient } from "@soleflip/postgres";
import { mustRunOutsideTransaction } from "@soleflip/sql";
import type pg from "pg";
import { tablesCreatedBy } from "./target-state.ts";

export interface BaselineComparison {
  schemas: string[];
  differences: SnapshotDifference[];
}

/** Runs a migration's SQL as PostgreSQL would from psql: one script, or statement by statement when one must be. */
export async function runScript(client: pg.ClientBase, migration: Pick<LocalMigration, "sql" | "statements">): Promise<void> {
  if (migration.statements.some((statement) => mustRunOutsideTransaction(statement.node))) {
    for (const statement of migration.statements) await client.query(statement.text);
  } else {
    await client.query(migration.sql);
  }
}

/**
 * Compares a database created outside Prisma with the baseline migration, by definition. The baseline
 * is built in a scratch database on the scratch server (the embedded PostgreSQL unless
 * SHADOW_DATABASE_URL says otherwise; never the target's server). Objects that later migrations manage
 * may be anywhere between before and after: their operations decide by definition. Anything else that
 * differs is a structural difference, and the database is not adopted.
 */
export async function compareWithBaseline(client: pg.ClientBase, baseline: LocalMigration, later: readonly Operation[], scratchAdminUrl: string): Promise<BaselineComparison> {
  const scratch = await createScratchDatabase(scratchAdminUrl, { prefix: "sf_migrator_baseline" });
  try {
    const expected = await withClient(scratch.url, async (scratchClient) => {
      await runScript(scratchClient, baseline);
      const schemas = await listModelSchemas(scratchClient);
      return { schemas, rows: await readSnapshot(scratchClient, schemas), live: await readLiveSchema(scratchClient, schemas) };
    });
    const actualRows = await readSnapshot(client, expected.schemas);
    const live = await readLiveSchema(client, expected.schemas);
    const managed = new Set(later.flatMap((operation) => managedObjectsOf(operation, [live, expected.live])).map((object) => `${object.kind}:${object.name}`));
    return { schemas: expected.schemas, differences: diffSnapshots(expected.rows, actualRows, (row) => managed.has(`${row.kind}:${row.name}`)) };
  } catch (error) {
    if (error instanceof ToolkitError) throw error;
    throw new ToolkitError({
      code: "migrator.adopt.baseline-failed",
      summary: `The baseline ${baseline.name} could not be built in a scratch database to compare with: ${(error as Error).message}`,
      fix: "Check that the baseline migration applies to an empty database (e.g. `pnpm db:migrate` against an empty one).",
      cause: error,
    });
  } finally {
    await scratch.drop();
  }
}

export { tablesCreatedBy };
