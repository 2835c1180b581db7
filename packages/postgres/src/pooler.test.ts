import { describe, expect, it } from "vitest";
import { transactionPoolingEvidence } from "./pooler.ts";
import { scratchDatabase, startPgBouncer } from "./testing/index.ts";

const CASES = [
  { path: "directly to the server", mode: undefined, pooled: false },
  { path: "through PgBouncer in session mode", mode: "session", pooled: false },
  { path: "through PgBouncer in transaction mode", mode: "transaction", pooled: true },
] as const;

describe("transactionPoolingEvidence", () => {
  it.each(CASES)("$path: pooled = $pooled", async ({ mode, pooled }) => {
    const database = await scratchDatabase("sf_pooler");
    const url = mode ? (await startPgBouncer(database.url, mode)).through(database.url) : database.url;
    const evidence = await transactionPoolingEvidence(url);
    if (pooled) expect(evidence).toMatch(/served by (the same server session|two server sessions)/);
    else expect(evidence).toBeUndefined();
  });
});
