import type { LiveSchema } from "@soleflip/catalog";
import { catalogQueries, outcome, tableKey, type Check, type CheckFinding } from "./check.ts";

/**
 * Primary keys and uniqueness, by columns: a UNIQUE constraint and a unique index enforce the same thing
 * (Prisma models both as @unique), so both count. Each must be valid.
 */
function uniqueSets(structure: LiveSchema): Map<string, { kind: string; name: string; valid: boolean }> {
  const sets = new Map<string, { kind: string; name: string; valid: boolean }>();
  for (const index of structure.indexes) {
    if (!index.unique || index.predicate) continue;
    sets.set(`${tableKey(index)}(${index.columns.join(",")})`, { kind: index.primary ? "primary key" : "unique", name: index.name, valid: index.valid });
  }
  return sets;
}

export const uniqueConstraintsMatch: Check = {
  id: "unique-constraints-match",
  title: "Primary keys and unique constraints (columns, valid)",
  async run({ expected, live }) {
    const want = uniqueSets(expected.structure);
    const have = uniqueSets(live);
    const findings: CheckFinding[] = [];
    for (const [columns, unique] of want) {
      const actual = have.get(columns);
      if (!actual) findings.push({ subject: columns, expected: unique.kind, actual: "missing", message: `no ${unique.kind} on ${columns}` });
      else if (actual.kind !== unique.kind) findings.push({ subject: columns, expected: unique.kind, actual: actual.kind, message: `${columns} is a ${actual.kind}, the model says ${unique.kind}` });
      else if (!actual.valid) findings.push({ subject: columns, expected: "valid", actual: "INVALID", message: `${actual.name} on ${columns} is INVALID` });
    }
    for (const [columns, unique] of have) {
      if (!want.has(columns)) findings.push({ subject: columns, expected: "absent", actual: `${unique.kind} ${unique.name}`, message: `${unique.kind} ${unique.name} on ${columns} is not in the model` });
    }
    return outcome(findings, want.size, "primary keys and unique constraints", catalogQueries(expected.schemas, "indexes"));
  },
};
