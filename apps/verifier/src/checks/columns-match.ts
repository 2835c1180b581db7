import type { LiveColumn } from "@soleflip/catalog";
import { outcome, tableKey, type Check, type CheckFinding } from "./check.ts";

/** Prisma writes @default(now()) as CURRENT_TIMESTAMP; PostgreSQL stores what it was given. Same value. */
function normaliseDefault(value: string | null): string | null {
  if (value === null) return null;
  return value === "CURRENT_TIMESTAMP" ? "now()" : value;
}

/** timestamp(6) is timestamp: 6 is PostgreSQL's default (and maximum) precision; Prisma writes it out. */
function normaliseType(type: string): string {
  return type.replace(/^(timestamp|time)\(6\)/, "$1");
}

const describe = (column: LiveColumn) => `${normaliseType(column.type)} ${column.notNull ? "NOT NULL" : "NULL"}${column.default ? ` DEFAULT ${normaliseDefault(column.default)}` : ""}`;

export const columnsMatch: Check = {
  id: "columns-match",
  title: "Columns (type, nullability, default)",
  async run({ expected, live }) {
    const key = (column: LiveColumn) => `${tableKey(column)}.${column.name}`;
    const have = new Map(live.columns.map((column) => [key(column), column]));
    const want = new Set(expected.structure.columns.map(key));
    const liveTables = new Set(live.tables.map(tableKey));
    const findings: CheckFinding[] = [];
    for (const column of expected.structure.columns) {
      if (!liveTables.has(tableKey(column))) continue; // reported by tables-match
      const actual = have.get(key(column));
      if (!actual) {
        findings.push({ subject: key(column), expected: describe(column), actual: "missing", message: `column ${key(column)} is missing` });
        continue;
      }
      if (describe(actual) !== describe(column)) {
        findings.push({ subject: key(column), expected: describe(column), actual: describe(actual), message: `column ${key(column)} is ${describe(actual)}, the model says ${describe(column)}` });
      }
    }
    for (const column of live.columns) {
      if (!want.has(key(column)) && expected.structure.tables.some((t) => tableKey(t) === tableKey(column))) {
        findings.push({ subject: key(column), expected: "absent", actual: describe(column), message: `column ${key(column)} is not in the model` });
      }
    }
    return outcome(findings, expected.structure.columns.length, "columns");
  },
};
