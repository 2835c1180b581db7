import { catalogQueries, outcome, tableKey, type Check, type CheckFinding } from "./check.ts";

const definition = (text: string) => text.replace(/ NOT VALID$/, "");

export const checkConstraintsMatch: Check = {
  id: "check-constraints-match",
  title: "CHECK constraints (definition, validated)",
  async run({ expected, live }) {
    const wanted = expected.structure.constraints.filter((c) => c.kind === "c");
    const findings: CheckFinding[] = [];
    for (const check of wanted) {
      const subject = `${tableKey(check)}.${check.name}`;
      const actual = live.constraints.find((c) => c.kind === "c" && tableKey(c) === tableKey(check) && definition(c.definition) === definition(check.definition));
      if (!actual) findings.push({ subject, expected: check.definition, actual: "missing", message: `no ${check.definition} on ${tableKey(check)}` });
      else if (!actual.validated) findings.push({ subject, expected: "validated", actual: "NOT VALID", message: `${actual.name} on ${tableKey(check)} is NOT VALID` });
    }
    for (const check of live.constraints.filter((c) => c.kind === "c")) {
      if (!wanted.some((w) => tableKey(w) === tableKey(check) && definition(w.definition) === definition(check.definition))) {
        findings.push({ subject: `${tableKey(check)}.${check.name}`, expected: "absent", actual: check.definition, message: `${check.name} ${check.definition} is not in the model` });
      }
    }
    return outcome(findings, wanted.length, "CHECK constraints", catalogQueries(expected.schemas, "constraints"));
  },
};
