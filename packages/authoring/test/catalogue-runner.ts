import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readWholeLiveSchema } from "@soleflip/catalog";
import { catalogSnapshot } from "@soleflip/db/testing";
import { readLocalMigrations } from "@soleflip/history";
import { lintMigrations, countsAgainst, type Finding } from "@soleflip/lint";
import { planOperation, type LockMode, type PlannedOperation } from "@soleflip/planner";
import { serverVersionNum, withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, afterFile, scratchDatabase } from "@soleflip/postgres/testing";
import { loadProject, runSeed, type PrismaProject } from "@soleflip/project";
import { DEFAULT_REHEARSAL_CONFIG, observeMigrations } from "@soleflip/rehearsal";
import { recogniseMigrations, rollbackMigrations, runMigrations } from "@soleflip/runner";
import { verifyDatabase } from "@soleflip/verification";
import { expect } from "vitest";
import { ToolkitError } from "@soleflip/core";
import { checkMigration } from "../src/check.ts";
import { createMigration } from "../src/create.ts";
import type { CatalogueRow, ChangeClass } from "./catalogue.ts";

const SHOP = fileURLToPath(new URL("../../../examples/shop/", import.meta.url));

/** Rules that say the data present makes the change impossible as it is. */
const DATA_RULES = new Set(["ban-required-column-on-filled-table", "ban-not-null-with-nulls", "ban-unique-with-duplicates", "ban-foreign-key-with-orphans", "ban-check-with-violations", "ban-type-change-that-does-not-fit", "ban-enum-value-removal-in-use"]);
/** Kinds the runner applies in another form than written (NOT VALID + VALIDATE, CONCURRENTLY, …). */
const REWRITTEN = new Set(["ensure-foreign-key", "ensure-index", "ensure-check", "ensure-not-null", "ensure-unique-constraint", "drop-index"]);

export interface RowResult {
  class: ChangeClass;
  locks: LockMode[];
  findings: string[];
  upSql: string;
  /** server_version_num of the server the row ran on (plans differ by version). */
  serverVersionNum: number;
  /** Tables the observed migration rewrote (new relfilenode). */
  observedRewrites?: string[];
}

/** What the toolkit calls the change: from its findings and the way its plan differs from the SQL. */
function classify(findings: readonly Finding[], planned: readonly PlannedOperation[]): ChangeClass {
  const counted = countsAgainst(findings).map((f) => f.rule);
  if (counted.includes("require-applying-migration")) return "needs-an-edit";
  if (counted.some((rule) => DATA_RULES.has(rule))) return "impossible-with-data";
  if (counted.includes("ban-unacknowledged-hazard")) return "hazard";
  if (planned.some((p) => REWRITTEN.has(p.operation.kind) && p.steps.length > 0)) return "online-safe";
  return "safe";
}

async function shopCopy(row: CatalogueRow): Promise<PrismaProject> {
  const root = await mkdtemp(join(tmpdir(), "sf-catalogue-"));
  afterFile(() => rm(root, { recursive: true, force: true }));
  await cp(join(SHOP, "prisma"), join(root, "prisma"), { recursive: true });
  if (row.start === "empty") await rm(join(root, "prisma", "migrations"), { recursive: true });
  if (row.history) {
    await mkdir(join(root, "prisma", "migrations", "20251201000001_legacy"));
    await writeFile(join(root, "prisma", "migrations", "20251201000001_legacy", "migration.sql"), row.history);
  }
  await writeFile(join(root, "prisma.config.ts"), 'export default { schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, datasource: { url: process.env["DATABASE_URL"] ?? "" } };\n');
  return loadProject({ cwd: root });
}

/** Inserts `-- migrator:allow-hazard` before each line a hazard finding points at, as an author would. */
function acknowledge(sql: string, findings: readonly Finding[], hazard: string): string {
  const lines = sql.split("\n");
  const at = [...new Set(findings.filter((f) => f.rule === "ban-unacknowledged-hazard").map((f) => f.line))].sort((a, b) => b - a);
  for (const line of at) lines.splice(line - 1, 0, `-- migrator:allow-hazard ${hazard}: acknowledged by the acceptance catalogue`);
  return lines.join("\n");
}

/**
 * One catalogue row, end to end on real PostgreSQL: the shop example migrated and filled with its demo
 * data; the change made (`create` from the edited schema, or the hand-written file); class, statements,
 * locks and findings checked; the hazard acknowledged or the data fixed as the row says; then migrate,
 * verify (with drift), down.sql back to exactly the structure before, up again, and a second migrate
 * that changes nothing.
 */
export async function runRow(row: CatalogueRow): Promise<RowResult> {
  const project = await shopCopy(row);
  const db = await scratchDatabase(`sf_cat_${row.id.replaceAll("-", "_").slice(0, 30)}`);
  const scratchServer = async () => ({ adminUrl: adminDatabaseUrl() });
  if (row.start !== "empty") {
    expect((await runMigrations({ databaseUrl: db.url, migrationsDir: project.migrationsDir })).outcome).toBe("applied");
    await withClient(db.url, async (client) => {
      await runSeed(client, project, { scale: 1 });
      if (row.data) await client.query(row.data);
      await client.query("ANALYZE");
    });
  }
  if (row.rejects) return rejectedRow(row, project, db.url);
  const before = await catalogSnapshot(db.url);

  const name = `29990101000000_${row.id.replaceAll("-", "_")}`;
  let upSql: string;
  let findings: Finding[];
  if (row.edit) {
    await writeFile(project.schemaPath, row.edit(await readFile(project.schemaPath, "utf8")));
    const created = await createMigration({ project, name: row.id.replaceAll("-", "_"), scratchAdminUrl: adminDatabaseUrl(), targetUrl: db.url, now: new Date("2999-01-01T00:00:00Z") });
    expect(created.status, `${row.id}: create found no change`).toBe("created");
    if (created.phases || row.online) return onlineRow(row, project, db.url, before, created);
    // A migration that needs the author's edit does not apply yet; the trial of down.sql comes with --check.
    if (row.class !== "needs-an-edit") expect(created.trial?.downRestores, `${row.id}: down.sql must restore the structure on the trial copy: ${JSON.stringify(created.findings.filter((f) => f.rule === "require-restoring-down-sql"))}\n${created.downSql}`).toBe(true);
    upSql = created.upSql ?? "";
    findings = created.findings;
    expect(created.exitCode, `${row.id}: ${JSON.stringify(countsAgainst(created.findings))}`).toBe(row.class === "safe" || row.class === "online-safe" ? 0 : 2);
    for (const [file, content] of Object.entries(row.files ?? {})) expect(await readFile(join(project.migrationsDir, file), "utf8"), `${row.id}: ${file}`).toMatch(content);
  } else {
    await mkdir(join(project.migrationsDir, name));
    await writeFile(join(project.migrationsDir, name, "migration.sql"), row.sql ?? "");
    upSql = row.sql ?? "";
    const written = recogniseMigrations((await readLocalMigrations(project.migrationsDir)).filter((m) => m.name === name));
    findings = await withClient(db.url, async (client) => lintMigrations(written, { client, structure: await readWholeLiveSchema(client), serverVersionNum: await serverVersionNum(client) }));
  }
  for (const shape of row.statements) expect(upSql, `${row.id}: migration.sql\n${upSql}\n`).toMatch(shape);

  const [migration] = recogniseMigrations((await readLocalMigrations(project.migrationsDir)).filter((m) => m.name === name));
  const { live, version } = await withClient(db.url, async (client) => ({ live: await readWholeLiveSchema(client), version: await serverVersionNum(client) }));
  const planned = (migration?.operations ?? []).map((operation) => planOperation(operation, { live, serverVersionNum: version }));
  const result: RowResult = { class: classify(findings, planned), locks: [], findings: countsAgainst(findings).map((f) => f.rule).sort(), upSql, serverVersionNum: version };

  // The author's answer to a hazard or to the data, then the way through.
  const file = join(project.migrationsDir, name, "migration.sql");
  if (row.resolve?.acknowledge) await writeFile(file, acknowledge(await readFile(file, "utf8"), findings, row.resolve.acknowledge));
  if (row.resolve?.data) await withClient(db.url, (client) => client.query(row.resolve?.data ?? ""));
  if (row.resolve?.prepend) {
    // As the finding says: the statement at the top of the file, then `create --check` passes.
    await writeFile(file, `${row.resolve.prepend}\n${await readFile(file, "utf8")}`);
    const checked = await checkMigration({ project, scratchAdminUrl: adminDatabaseUrl(), targetUrl: db.url });
    expect({ exitCode: checked.exitCode, trial: checked.trial }, `${row.id}: create --check after the edit: ${JSON.stringify(countsAgainst(checked.findings))}`).toEqual({ exitCode: 0, trial: { up: "applied", downRestores: true, differences: 0 } });
  }
  // Applied observed (pg_locks after every statement, relfilenodes around every step): every lock the
  // plan predicted or weaker, and no table rewritten that the plan did not call a rewrite.
  const observed = await observeMigrations({ databaseUrl: db.url, migrationsDir: project.migrationsDir, scratchServer, config: DEFAULT_REHEARSAL_CONFIG, load: false });
  const applied = observed.log;
  expect(applied.outcome, `${row.id}: ${JSON.stringify(applied.failure ?? applied.preflight.filter((p) => !p.passed))}`).toBe("applied");
  expect(observed.findings.filter((f) => f.code !== "rehearsal.write-block-over-budget"), `${row.id}: observed`).toEqual([]);
  result.observedRewrites = observed.observation.steps.flatMap((step) => step.rewrites);
  // …and every step the plan calls a rewrite did rewrite its table (the prediction is not just cautious).
  const predictedRewrites = observed.observation.steps.filter((step) => step.hazards.includes("REWRITES_TABLE"));
  expect(predictedRewrites.filter((step) => step.rewrites.length === 0).map((step) => step.description), `${row.id}: predicted rewrites that did not happen`).toEqual([]);
  // The locks the statements that ran took, in order (each operation planned when reached).
  result.locks = (applied.migrations.find((m) => m.name === name)?.operations ?? []).flatMap((operation) => operation.steps.filter((step) => step.status === "applied").map((step) => step.lock));
  const verified = await verifyDatabase({ databaseUrl: db.url, scratchAdminUrl: adminDatabaseUrl(), project });
  expect(verified.checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.findings.map((f) => f.message).join("; ")}`), `${row.id}: verify`).toEqual([]);
  const after = await catalogSnapshot(db.url);

  if (row.edit) {
    // down.sql back to the structure before, up again to the same structure, then nothing left to do.
    const down = await rollbackMigrations({ databaseUrl: db.url, migrationsDir: project.migrationsDir, names: [name], acknowledgeAllHazards: true });
    expect(down.outcome).toBe("rolled-back");
    expect(await catalogSnapshot(db.url), `${row.id}: down.sql restores the structure`).toEqual(before);
    expect((await runMigrations({ databaseUrl: db.url, migrationsDir: project.migrationsDir, scratchServer })).outcome).toBe("applied");
    expect(await catalogSnapshot(db.url), `${row.id}: up again`).toEqual(after);
  }
  expect((await runMigrations({ databaseUrl: db.url, migrationsDir: project.migrationsDir, scratchServer })).outcome).toBe("up-to-date");
  return result;
}

/**
 * An expand/contract row, end to end: the phases written and tried; the expand applied (observed) while the
 * contract waits for a later run; both application versions writing, every row in step; a row put out of
 * step behind the trigger's back makes the contract's gate refuse it, changing nothing, and the backfill
 * brings it back; the contract applied in the next run; verify; every down.sql newest first back to the
 * structure before; up again (two runs); and a last run with nothing to do.
 */
async function onlineRow(row: CatalogueRow, project: PrismaProject, url: string, before: unknown, created: Awaited<ReturnType<typeof createMigration>>): Promise<RowResult> {
  const online = row.online;
  if (!online) throw new Error(`${row.id}: create wrote an online change; the row must say how to exercise it (online)`);
  const phases = created.phases ?? [];
  expect(phases.map((phase) => phase.name), `${row.id}: phases`).toEqual(online.phases);
  expect({ exitCode: created.exitCode, findings: countsAgainst(created.findings).map((f) => f.rule) }, `${row.id}: create`).toEqual({ exitCode: 0, findings: row.findings });
  expect(created.trial, `${row.id}: the phases applied together and rolled back newest first on a copy`).toEqual({ up: "applied", downRestores: true, differences: 0 });
  const upSql = created.upSql ?? "";
  for (const shape of row.statements) expect(upSql, `${row.id}: migration.sql\n${upSql}\n`).toMatch(shape);
  const names = phases.map((phase) => basename(phase.directory));
  const scratchServer = async () => ({ adminUrl: adminDatabaseUrl() });
  const outOfStep = async () => withClient(url, async (client) => (await client.query<{ n: number }>(online.outOfStep)).rows[0]?.n);

  // The expand alone (--to), observed: every lock as the plan predicted.
  const expandName = names[0] ?? "";
  const observed = await observeMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, scratchServer, config: DEFAULT_REHEARSAL_CONFIG, load: false, to: expandName });
  expect(observed.log.outcome, `${row.id}: ${JSON.stringify(observed.log.failure ?? observed.log.refusal)}`).toBe("applied");
  expect(observed.findings.filter((f) => f.code !== "rehearsal.write-block-over-budget"), `${row.id}: observed`).toEqual([]);
  const locks = observed.log.migrations.filter((m) => names.includes(m.name)).flatMap((m) => m.operations.flatMap((op) => op.steps.filter((step) => step.status === "applied").map((step) => step.lock)));

  // Both application versions write; every row stays in step.
  await withClient(url, (client) => client.query(online.oldWriter));
  await withClient(url, (client) => client.query(online.newWriter));
  expect(await outOfStep(), `${row.id}: rows out of step after both versions wrote`).toBe(0);

  // A row written with the trigger off: the next phase's gate refuses, and nothing changes.
  const gated = online.gated;
  if (gated) {
    await withClient(url, (client) => client.query(gated.bypass));
    expect(await outOfStep()).toBeGreaterThan(0);
    const held = await catalogSnapshot(url);
    const refused = await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, scratchServer });
    expect({ outcome: refused.outcome, code: refused.refusal?.code, gated: refused.refusal?.summary.startsWith(names.find((name) => name.endsWith(`_${gated.gate}`)) ?? "?") }, `${row.id}: ${JSON.stringify(refused.refusal)}`).toEqual({ outcome: "refused", code: "migrator.gate.refused", gated: true });
    expect(await catalogSnapshot(url), `${row.id}: a refused phase changes nothing`).toEqual(held);
    await withClient(url, (client) => client.query(gated.refill));
  }
  // The backfill the gate's hint named brought the row back; the remaining phases run (a contract in a later
  // run than its expand: this one).
  const rest = await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, scratchServer });
  expect({ outcome: rest.outcome, waiting: rest.waiting ?? [] }, `${row.id}: ${JSON.stringify(rest.failure ?? rest.refusal)}`).toEqual({ outcome: "applied", waiting: [] });
  locks.push(...rest.migrations.filter((m) => names.includes(m.name)).flatMap((m) => m.operations.flatMap((op) => op.steps.filter((step) => step.status === "applied").map((step) => step.lock))));
  const verified = await verifyDatabase({ databaseUrl: url, scratchAdminUrl: adminDatabaseUrl(), project });
  expect(verified.checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.findings.map((f) => f.message).join("; ")}`), `${row.id}: verify`).toEqual([]);
  const after = await catalogSnapshot(url);

  // Every down.sql, newest first, back to the structure before; then up again, in two runs.
  const down = await rollbackMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, names, acknowledgeAllHazards: true });
  expect(down.outcome, `${row.id}: down`).toBe("rolled-back");
  expect(await catalogSnapshot(url), `${row.id}: down.sql restores the structure`).toEqual(before);
  // Up again: everything but the contract in one run (it waits for a later one), the contract in the next.
  const again = await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, scratchServer });
  expect({ outcome: again.outcome, waiting: again.waiting?.map((w) => w.migration) }).toEqual({ outcome: "applied", waiting: names.filter((name) => name.endsWith("_contract")) });
  // In the window, verify holds: what the contract will drop is said to be kept for it, nothing else differs.
  const windowed = await verifyDatabase({ databaseUrl: url, scratchAdminUrl: adminDatabaseUrl(), project });
  expect(windowed.checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.findings.map((f) => f.message).join("; ")}`), `${row.id}: verify in the window`).toEqual([]);
  expect(windowed.checks.find((c) => c.id === "migration-history")?.summary).toMatch(/Kept for \d+_\w+_contract/);
  expect((await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, scratchServer })).outcome).toBe("applied");
  expect(await catalogSnapshot(url), `${row.id}: up again`).toEqual(after);
  expect((await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir, scratchServer })).outcome).toBe("up-to-date");
  return { class: "expand-contract", locks, findings: countsAgainst(created.findings).map((f) => f.rule).sort(), upSql, serverVersionNum: await withClient(url, (client) => serverVersionNum(client)) };
}

/** Bad input: create fails with the row's code and message, and the project's files are as they were. */
async function rejectedRow(row: CatalogueRow, project: PrismaProject, targetUrl: string): Promise<RowResult> {
  const listing = async () => (existsSync(project.migrationsDir) ? (await readdir(project.migrationsDir, { recursive: true })).sort() : []);
  const before = await listing();
  await writeFile(project.schemaPath, row.edit?.(await readFile(project.schemaPath, "utf8")) ?? "");
  const failure = await createMigration({ project, name: row.id.replaceAll("-", "_"), scratchAdminUrl: adminDatabaseUrl(), targetUrl }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure, `${row.id}: create must fail`).toBeInstanceOf(ToolkitError);
  const error = failure as ToolkitError;
  expect({ code: error.code, message: row.rejects?.message.test(error.summary) }, `${row.id}: ${error.summary}`).toEqual({ code: row.rejects?.code, message: true });
  expect(await listing(), `${row.id}: nothing written`).toEqual(before);
  return { class: "bad-input", locks: [], findings: [], upSql: "", serverVersionNum: 0 };
}

/** The locks a row expects on the server it ran on: `locksBefore18` on 14–17 when the plan differs there. */
export function expectedLocks(row: CatalogueRow, serverVersionNum: number): LockMode[] {
  return serverVersionNum < 180_000 ? (row.locksBefore18 ?? row.locks) : row.locks;
}
