import { catalogQueries, outcome, tableKey, type Check, type CheckFinding } from "./check.ts";

export const tablesMatch: Check = {
  id: "tables-match",
  title: "Tables",
  async run({ expected, live }) {
    const want = new Set(expected.structure.tables.map(tableKey));
    const have = new Set(live.tables.map(tableKey));
    const findings: CheckFinding[] = [
      ...[...want].filter((t) => !have.has(t)).map((t) => ({ subject: t, expected: "exists", actual: "missing", message: `table ${t} is missing` })),
      ...[...have].filter((t) => !want.has(t)).map((t) => ({ subject: t, expected: "absent", actual: "exists", message: `table ${t} is not in the model` })),
    ];
    return outcome(findings, want.size, "tables", catalogQueries(expected.schemas, "tables"));
  },
};
