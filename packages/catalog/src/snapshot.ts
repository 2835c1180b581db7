import type pg from "pg";
import { catalogSql } from "./load-sql.ts";

export interface SnapshotRow {
  kind: "schema" | "table" | "column" | "constraint" | "index" | "enum" | "sequence";
  /** schema[.table][.object] */
  name: string;
  definition: string;
}

export interface SnapshotDifference {
  kind: SnapshotRow["kind"];
  name: string;
  expected: string | undefined;
  actual: string | undefined;
}

/** One row per object in the given schemas, with its full definition. */
export async function readSnapshot(client: Pick<pg.ClientBase, "query">, schemas: readonly string[]): Promise<SnapshotRow[]> {
  return (await client.query<SnapshotRow>(catalogSql("snapshot"), [schemas])).rows;
}

/** Objects missing, extra or defined differently, ignoring those `ignore` says are someone else's concern. */
export function diffSnapshots(
  expected: readonly SnapshotRow[],
  actual: readonly SnapshotRow[],
  ignore: (row: Pick<SnapshotRow, "kind" | "name">) => boolean = () => false,
): SnapshotDifference[] {
  const key = (row: Pick<SnapshotRow, "kind" | "name">) => `${row.kind}\u0000${row.name}`;
  const expectedByKey = new Map(expected.map((row) => [key(row), row]));
  const actualByKey = new Map(actual.map((row) => [key(row), row]));
  const differences: SnapshotDifference[] = [];
  for (const [k, row] of expectedByKey) {
    if (ignore(row)) continue;
    const other = actualByKey.get(k);
    if (!other || other.definition !== row.definition) {
      differences.push({ kind: row.kind, name: row.name, expected: row.definition, actual: other?.definition });
    }
  }
  for (const [k, row] of actualByKey) {
    if (ignore(row) || expectedByKey.has(k)) continue;
    differences.push({ kind: row.kind, name: row.name, expected: undefined, actual: row.definition });
  }
  return differences.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
