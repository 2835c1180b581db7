import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withClient } from "@soleflip/postgres";
import { runMigrations } from "@soleflip/runner";
import { afterFile, scratchDatabase } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { DEFAULT_REHEARSAL_CONFIG, observeMigrations, type ObservedStep } from "../src/index.ts";

const ROWS = 300_000;

const INIT = `CREATE TABLE public.item (id integer PRIMARY KEY, n integer NOT NULL, label text NOT NULL);
INSERT INTO public.item SELECT g, g % 1000, 'item ' || g FROM generate_series(1, ${ROWS}) AS g;
CREATE TABLE public.untouched (id integer PRIMARY KEY);
`;

/** A table of ROWS rows (the first migration, applied unobserved), then `change`, observed under load. */
async function observed(change: string, budgetMs = DEFAULT_REHEARSAL_CONFIG.writeBlockBudgetMs) {
  const db = await scratchDatabase("sf_rehearsal");
  const dir = await mkdtemp(join(tmpdir(), "sf-rehearsal-"));
  afterFile(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, "20250101000000_init"));
  await writeFile(join(dir, "20250101000000_init", "migration.sql"), INIT);
  expect((await runMigrations({ databaseUrl: db.url, migrationsDir: dir, lockWaitMs: 5_000 })).outcome).toBe("applied");
  await withClient(db.url, (client) => client.query("VACUUM ANALYZE public.item"));
  await mkdir(join(dir, "20250102000000_change"));
  await writeFile(join(dir, "20250102000000_change", "migration.sql"), change);
  const run = await observeMigrations({ databaseUrl: db.url, migrationsDir: dir, lockWaitMs: 5_000, config: { ...DEFAULT_REHEARSAL_CONFIG, writeBlockBudgetMs: budgetMs }, load: true });
  return { db, run };
}

const stepOf = (steps: readonly ObservedStep[], fragment: string) => steps.find((step) => step.sql.some((sql) => sql.includes(fragment)));

describe("the observed rehearsal", () => {
  it("sees CREATE INDEX CONCURRENTLY hold SHARE UPDATE EXCLUSIVE without blocking writes, and int → bigint rewrite the table under ACCESS EXCLUSIVE, blocking them", async () => {
    const { run } = await observed(`CREATE INDEX item_n_idx ON public.item (n);

-- migrator:allow-hazard REWRITES_TABLE: rehearsal test
ALTER TABLE public.item ALTER COLUMN n TYPE bigint;
`);
    expect(run.log.outcome).toBe("applied");
    const index = stepOf(run.observation.steps, "CREATE INDEX CONCURRENTLY");
    expect(index?.locks).toEqual([expect.objectContaining({ relation: "public.item", mode: "SHARE UPDATE EXCLUSIVE" })]);
    expect(index?.writesBlocked.count).toBe(0);
    expect(index?.rewrites).toEqual([]);
    expect(index?.sizeDeltaBytes).toBeGreaterThan(1_000_000);
    expect(index?.mismatches).toEqual([]);

    const rewrite = stepOf(run.observation.steps, "TYPE bigint");
    expect(rewrite?.locks).toEqual([expect.objectContaining({ relation: "public.item", mode: "ACCESS EXCLUSIVE" })]);
    expect(rewrite?.rewrites).toEqual(["public.item"]);
    expect(rewrite?.walBytes).toBeGreaterThan(1_000_000);
    expect(rewrite?.writesBlocked.count).toBeGreaterThan(0);
    expect(rewrite?.writesBlocked.longestMs).toBeGreaterThan(rewrite?.durationMs ? rewrite.durationMs / 2 : 1);
    expect(rewrite?.mismatches).toEqual([]);
    expect(run.observation.load.enabled).toBe(true);
    // The untouched table got no writers and shows up nowhere.
    expect(run.observation.steps.flatMap((s) => s.locks.map((l) => l.relation))).not.toContain("public.untouched");
  });

  it("flags a lock the plan did not predict, and a write wait over the budget", async () => {
    // LOCK TABLE is a statement the planner does not model: it predicts no lock for it.
    const { run } = await observed(`LOCK TABLE public.item IN EXCLUSIVE MODE;

-- migrator:allow-hazard REWRITES_TABLE: rehearsal test
ALTER TABLE public.item ALTER COLUMN n TYPE bigint;
`, 5);
    const lock = stepOf(run.observation.steps, "LOCK TABLE");
    expect(lock?.predicted.lock).toBe("NONE");
    expect(lock?.locks).toContainEqual(expect.objectContaining({ relation: "public.item", mode: "EXCLUSIVE" }));
    expect(new Set(run.findings.map((f) => f.code))).toEqual(new Set(["rehearsal.unpredicted-lock", "rehearsal.write-block-over-budget"]));
    expect(run.findings.find((f) => f.code === "rehearsal.write-block-over-budget")?.message).toMatch(/a write to public\.item waited [\d.]+ ms behind this step \(budget 5 ms/);
    expect(run.findings.find((f) => f.code === "rehearsal.unpredicted-lock")?.message).toBe("held EXCLUSIVE on public.item, which the plan does not list");
  });
});
