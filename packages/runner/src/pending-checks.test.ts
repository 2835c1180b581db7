import { parseStatements } from "@soleflip/sql";
import { recogniseOperations } from "@soleflip/planner";
import { describe, expect, it } from "vitest";
import { checkPendingMigrations } from "./pending-checks.ts";
import type { RecognisedMigration } from "./recognise-migrations.ts";

async function migration(name: string, sql: string): Promise<RecognisedMigration> {
  const statements = await parseStatements(sql, `${name}/migration.sql`);
  return { name, directory: `/m/${name}`, sql, checksum: name, downSql: undefined, statements, operations: recogniseOperations(statements, name).operations };
}

const INDEX = "CREATE INDEX CONCURRENTLY i ON t (c);";

describe("checkPendingMigrations: what the runner questions before anything runs", () => {
  const cases: Array<{ name: string; local: Array<[string, string]>; applied: string[]; throws?: string; notices?: string[] }> = [
    { name: "a clean history", local: [["20250101000000_a", INDEX], ["20250102000000_b", INDEX]], applied: ["20250101000000_a"], notices: [] },
    { name: "an empty file at the head", local: [["20250101000000_a", INDEX], ["20250102000000_b", "-- later\n"]], applied: ["20250101000000_a"], throws: "migrator.migration.empty" },
    { name: "an empty file kept in the middle of the history", local: [["20250101000000_a", ""], ["20250102000000_b", INDEX]], applied: [], notices: [] },
    { name: "a pending migration older than an applied one", local: [["20250101000000_a", INDEX], ["20250101500000_late", INDEX], ["20250102000000_b", INDEX]], applied: ["20250101000000_a", "20250102000000_b"], throws: "migrator.migration.out-of-order" },
    { name: "two pending migrations with one timestamp", local: [["20250101000000_a", INDEX], ["20250101000000_b", INDEX]], applied: [], notices: ["migrator.migration.duplicate-timestamp"] },
    { name: "two applied migrations with one timestamp (history, no notice)", local: [["20250101000000_a", INDEX], ["20250101000000_b", INDEX]], applied: ["20250101000000_a", "20250101000000_b"], notices: [] },
  ];
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const local = await Promise.all(testCase.local.map(([name, sql]) => migration(name, sql)));
    const applied = new Set(testCase.applied);
    const pending = local.filter((m) => !applied.has(m.name));
    if (testCase.throws) {
      expect(() => checkPendingMigrations(local, pending, applied)).toThrow(expect.objectContaining({ code: testCase.throws }));
      return;
    }
    expect(checkPendingMigrations(local, pending, applied).map((notice) => notice.code)).toEqual(testCase.notices);
  });

  it("suggests a folder name one second after the newest migration", async () => {
    const local = await Promise.all([migration("20251231235959_a", INDEX), migration("20251231000000_late", INDEX), migration("20251231235959_z", INDEX)]);
    const sorted = [...local].sort((a, b) => a.name.localeCompare(b.name));
    const applied = new Set(["20251231235959_a", "20251231235959_z"]);
    expect(() => checkPendingMigrations(sorted, sorted.filter((m) => !applied.has(m.name)), applied)).toThrow(expect.objectContaining({ fix: expect.stringContaining("rename its folder, e.g. to 20260101000000_late") }));
  });
});
