import { diffSnapshots, listUserSchemas, readLiveSchema, readSnapshot, type LiveSchema, type SnapshotDifference, type SnapshotRow } from "@soleflip/catalog";
import { ToolkitError } from "@soleflip/core";
import { createScratchDatabase, withClient, withDatabase } from "@soleflip/postgres";
import type pg from "pg";
import type { LocalMigration } from "../history/local-migrations.ts";
import { indexKey, liveIndexKey } from "../plan/index-equivalence.ts";
import type { Operation } from "../plan/operations.ts";
import { isNotNullCheck } from "../plan/plan-operation.ts";

export interface BaselineComparison {
  schemas: string[];
  differences: SnapshotDifference[];
}

/**
 * Builds the baseline in a scratch database (the user needs CREATEDB on the server, or give a shadow
 * database server) and returns the schemas it creates with its structure, by definition.
 */
async function baselineStructure(baseline: LocalMigration, serverUrl: string): Promise<{ schemas: string[]; rows: SnapshotRow[]; live: LiveSchema }> {
  const scratch = await createScratchDatabase(withDatabase(serverUrl, "postgres"), { prefix: "sf_migrator_baseline" }).catch((error: unknown) => {
    throw new ToolkitError({
      code: "migrator.adopt.no-scratch-database",
      summary: "Cannot create a scratch database to compare the live structure with the baseline.",
      fix: "Grant CREATEDB to the migration user, or pass --shadow-database-url pointing at a server where it may create one.",
      cause: error,
    });
  });
  try {
    return await withClient(scratch.url, async (client) => {
      await client.query(baseline.sql);
      const schemas = await listUserSchemas(client, { withoutPublic: true });
      return { schemas, rows: await readSnapshot(client, schemas), live: await readLiveSchema(client, schemas) };
    });
  } finally {
    await scratch.drop();
  }
}

/**
 * Compares a database created outside Prisma with the baseline, by definition. Objects that the later
 * migrations manage (the foreign keys, nullability and indexes they ensure) may be anywhere between
 * before and after: those are left to the operations, which decide by definition. Anything else that
 * differs is a structural difference, and the database is not adopted.
 */
export async function compareWithBaseline(
  client: pg.ClientBase,
  baseline: LocalMigration,
  later: readonly LocalMigration[],
  serverUrl: string,
): Promise<BaselineComparison> {
  const expected = await baselineStructure(baseline, serverUrl);
  const actualRows = await readSnapshot(client, expected.schemas);
  const live = await readLiveSchema(client, expected.schemas);
  const managed = managedObjects(later.flatMap((migration) => migration.operations), [live, expected.live]);
  return { schemas: expected.schemas, differences: diffSnapshots(expected.rows, actualRows, managed) };
}

/** Snapshot rows that a pending operation owns, in either the live or the baseline structure. */
export function managedObjects(operations: readonly Operation[], structures: readonly LiveSchema[]): (row: Pick<SnapshotRow, "kind" | "name">) => boolean {
  const names = new Set<string>();
  const add = (kind: SnapshotRow["kind"], name: string) => names.add(`${kind}:${name}`);
  for (const operation of operations) {
    switch (operation.kind) {
      case "ensure-foreign-key": {
        const { schema, table } = operation.table;
        add("constraint", `${schema}.${table}.${operation.name}`);
        add("constraint", `${schema}.${table}.${operation.name.slice(0, 59)}_new`);
        for (const structure of structures) {
          for (const fk of structure.foreignKeys) {
            if (fk.schema === schema && fk.table === table && fk.columns.join(",") === operation.columns.join(",")) add("constraint", `${schema}.${table}.${fk.name}`);
          }
        }
        break;
      }
      case "ensure-not-null":
      case "ensure-nullable": {
        const { schema, table } = operation.table;
        add("column", `${schema}.${table}.${operation.column}`);
        for (const structure of structures) {
          for (const check of structure.constraints) {
            if (check.schema === schema && check.table === table && isNotNullCheck(check, operation.column)) add("constraint", `${schema}.${table}.${check.name}`);
          }
        }
        break;
      }
      case "ensure-index": {
        add("index", `${operation.table.schema}.${operation.name}`);
        const wanted = indexKey(operation.node);
        for (const structure of structures) {
          for (const index of structure.indexes) {
            if (index.schema === operation.table.schema && liveIndexKey(index.definition) === wanted) add("index", `${index.schema}.${index.name}`);
          }
        }
        break;
      }
      case "validate-constraint":
      case "drop-constraint":
        add("constraint", `${operation.table.schema}.${operation.table.table}.${operation.name}`);
        break;
      default:
        break;
    }
  }
  return (row) => names.has(`${row.kind}:${row.name}`);
}
