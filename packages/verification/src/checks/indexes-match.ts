import { liveIndexKey } from "@soleflip/planner";
import { catalogQueries, outcome, tableKey, type Check, type CheckFinding } from "./check.ts";

/** Non-unique and partial indexes by definition (table, method, columns, predicate), and their validity. */
export const indexesMatch: Check = {
  id: "indexes-match",
  title: "Indexes (columns, predicate, uniqueness, validity)",
  async run({ expected, live }) {
    const relevant = (index: { unique: boolean; predicate: string | null }) => !index.unique || index.predicate !== null;
    const wanted = expected.structure.indexes.filter(relevant);
    const liveIndexes = live.indexes.filter(relevant).map((index) => ({ index, key: liveIndexKey(index.definition) }));
    const findings: CheckFinding[] = [];
    for (const index of wanted) {
      const key = liveIndexKey(index.definition);
      const matches = liveIndexes.filter((candidate) => candidate.key === key);
      const subject = `${index.schema}.${index.name}`;
      if (matches.length === 0) {
        const sameName = live.indexes.find((other) => other.schema === index.schema && other.name === index.name);
        findings.push({ subject, expected: index.definition, actual: sameName?.definition ?? "missing", message: sameName ? `${subject} has another definition` : `no index like ${index.definition}` });
      } else if (!matches.some((m) => m.index.valid)) {
        findings.push({ subject, expected: "valid", actual: "INVALID", message: `${matches[0]?.index.name} is INVALID (an interrupted concurrent build); the planner cannot use it` });
      }
    }
    for (const { index, key } of liveIndexes) {
      if (!wanted.some((w) => liveIndexKey(w.definition) === key)) {
        findings.push({ subject: `${index.schema}.${index.name}`, expected: "absent", actual: index.definition, message: `${index.schema}.${index.name} on ${tableKey(index)} is not in the model` });
      }
    }
    return outcome(findings, wanted.length, "indexes", catalogQueries(expected.schemas, "indexes"));
  },
};
