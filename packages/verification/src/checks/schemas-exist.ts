import { catalogQueries, outcome, type Check } from "./check.ts";

export const schemasExist: Check = {
  id: "schemas-exist",
  title: "Schemas",
  async run({ expected, live }) {
    const findings = expected.structure.schemas
      .filter((schema) => !live.schemas.includes(schema))
      .map((schema) => ({ subject: schema, expected: "exists", actual: "missing", message: `schema ${schema} is missing` }));
    return outcome(findings, expected.structure.schemas.length, "schemas", catalogQueries(expected.schemas, "schemas"));
  },
};
