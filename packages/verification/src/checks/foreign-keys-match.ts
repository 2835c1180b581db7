import { REFERENTIAL_ACTION_NAMES, type LiveForeignKey } from "@soleflip/catalog";
import { catalogQueries, outcome, tableKey, type Check, type CheckFinding } from "./check.ts";

export const describeForeignKey = (fk: LiveForeignKey) =>
  `(${fk.columns.join(", ")}) -> ${fk.refSchema}.${fk.refTable}(${fk.refColumns.join(", ")}) ON DELETE ${REFERENTIAL_ACTION_NAMES[fk.onDelete]} ON UPDATE ${REFERENTIAL_ACTION_NAMES[fk.onUpdate]}${fk.validated ? "" : " NOT VALID"}`;

/** Foreign keys compared by definition: columns, target, actions, validation. Names are reported, never trusted. */
export const foreignKeysMatch: Check = {
  id: "foreign-keys-match",
  title: "Foreign keys (columns, target, ON DELETE / ON UPDATE, validated)",
  async run({ expected, live }) {
    const onColumns = (fk: LiveForeignKey) => `${tableKey(fk)}(${fk.columns.join(",")})`;
    const findings: CheckFinding[] = [];
    for (const fk of expected.structure.foreignKeys) {
      const candidates = live.foreignKeys.filter((other) => onColumns(other) === onColumns(fk));
      const exact = candidates.find((other) => describeForeignKey(other) === describeForeignKey(fk));
      const subject = `${tableKey(fk)}.${fk.name}`;
      if (exact) continue;
      if (candidates.length === 0) {
        findings.push({ subject, expected: describeForeignKey(fk), actual: "missing", message: `no foreign key on ${onColumns(fk)}` });
      } else {
        findings.push({
          subject,
          expected: describeForeignKey(fk),
          actual: candidates.map((c) => `${c.name} ${describeForeignKey(c)}`).join("; "),
          message: `foreign key on ${onColumns(fk)} is ${candidates.map((c) => `${c.name} ${describeForeignKey(c)}`).join("; ")}`,
        });
      }
    }
    for (const fk of live.foreignKeys) {
      if (!expected.structure.foreignKeys.some((other) => onColumns(other) === onColumns(fk) && describeForeignKey(other) === describeForeignKey(fk))) {
        if (!expected.structure.foreignKeys.some((other) => onColumns(other) === onColumns(fk))) {
          findings.push({ subject: `${tableKey(fk)}.${fk.name}`, expected: "absent", actual: describeForeignKey(fk), message: `foreign key ${fk.name} on ${onColumns(fk)} is not in the model` });
        }
      }
    }
    return outcome(findings, expected.structure.foreignKeys.length, "foreign keys", catalogQueries(expected.schemas, "foreign-keys"));
  },
};
