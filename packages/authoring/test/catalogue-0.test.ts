import { describe, expect, it } from "vitest";
import { CATALOGUE } from "./catalogue.ts";
import { expectedLocks, runRow } from "./catalogue-runner.ts";

// The catalogue runs in two files so that two rows run at a time (one per core).
const rows = CATALOGUE.filter((_, index) => index % 2 === 0);

describe("the acceptance catalogue (even rows)", () => {
  it.each(rows.map((row) => [`${row.group}: ${row.title}`, row] as const))("%s", async (_, row) => {
    const result = await runRow(row);
    expect({ class: result.class, locks: result.locks, findings: result.findings }).toEqual({ class: row.class, locks: expectedLocks(row, result.serverVersionNum), findings: [...row.findings].sort() });
  });
});
