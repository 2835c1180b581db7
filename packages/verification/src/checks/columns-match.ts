import type { LiveColumn } from "@soleflip/catalog";
import { catalogQueries, tableKey, type Check, type CheckFinding } from "./check.ts";

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

/**
 * Every column of the model's tables, by type, nullability and default. Columns of tables the database
 * lacks cannot be compared (tables-match reports those tables); the summary counts only what was compared.
 */
export const columnsMatch: Check = {
  id: "columns-match",
  title: "Columns (type, nullability, default)",
  async run({ expected, live }) {
    const key = (column: LiveColumn) => `${tableKey(column)}.${column.name}`;
    const have = new Map(live.columns.map((column) => [key(column), column]));
    const want = new Set(expected.structure.columns.map(key));
    const liveTables = new Set(live.tables.map(tableKey));
    const modelTables = new Set(expected.structure.tables.map(tableKey));
    const comparable = expected.structure.columns.filter((column) => liveTables.has(tableKey(column)));
    const findings: CheckFinding[] = [];
    for (const column of comparable) {
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
      if (!want.has(key(column)) && modelTables.has(tableKey(column))) {
        findings.push({ subject: key(column), expected: "absent", actual: describe(column), message: `column ${key(column)} is not in the model` });
      }
    }
    const sql = catalogQueries(expected.schemas, "columns");
    const skipped = expected.structure.columns.length - comparable.length;
    if (comparable.length === 0) {
      return { status: "skip", summary: `None of the model's ${expected.structure.columns.length} columns could be compared: their tables are missing (see tables-match).`, findings, sql, compared: 0 };
    }
    const extra = findings.filter((f) => f.expected === "absent").length;
    const differing = findings.length - extra;
    const notCompared = skipped > 0 ? ` ${skipped} column(s) of missing tables were not compared (see tables-match).` : "";
    const summary =
      findings.length === 0
        ? `All ${comparable.length} compared columns match the model.${notCompared}`
        : `${[differing > 0 ? `${differing} of ${comparable.length} compared columns are missing or differ` : "", extra > 0 ? `${extra} column(s) are not in the model` : ""].filter(Boolean).join("; ")}.${notCompared}`;
    return { status: findings.length === 0 ? "pass" : "fail", summary, findings, sql, compared: comparable.length };
  },
};
