import { catalogQueries, outcome, type Check, type CheckFinding } from "./check.ts";

export const enumsMatch: Check = {
  id: "enums-match",
  title: "Enums",
  async run({ expected, live }) {
    const findings: CheckFinding[] = [];
    for (const type of expected.structure.enums) {
      const actual = live.enums.find((e) => e.schema === type.schema && e.name === type.name);
      const subject = `${type.schema}.${type.name}`;
      if (!actual) findings.push({ subject, expected: type.labels.join(", "), actual: "missing", message: `enum ${subject} is missing` });
      else if (actual.labels.join(",") !== type.labels.join(",")) {
        findings.push({ subject, expected: type.labels.join(", "), actual: actual.labels.join(", "), message: `enum ${subject} has labels ${actual.labels.join(", ")}` });
      }
    }
    return outcome(findings, expected.structure.enums.length, "enums", catalogQueries(expected.schemas, "enums"));
  },
};
