import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { diffSnapshots, listModelSchemas, listSequences, listUserSchemas, readSnapshot, readWholeLiveSchema, type LiveSchema } from "@soleflip/catalog";
import { toToolkitError } from "@soleflip/core";
import { readLocalMigrations } from "@soleflip/history";
import { lintMigrations, type Finding } from "@soleflip/lint";
import { recogniseOperations } from "@soleflip/planner";
import { serverVersionNum, withClient, type ScratchDatabase } from "@soleflip/postgres";
import { recogniseMigrations, rollbackMigrations, runMigrations, type RunLog } from "@soleflip/runner";
import { parseStatements } from "@soleflip/sql";
import { extensionProviding, missingObjectOf } from "./extension-objects.ts";

export interface TrialOutcome {
  up: RunLog["outcome"] | "unreadable";
  downRestores: boolean;
  differences: number;
}

/** One migration of the trial (several for an online change: expand, switch, contract). */
export interface TrialMigration {
  name: string;
  upSql: string;
  /** down.sql as written, or made from what the trial reached (undefined: the migration did not apply). */
  downSql: string | ((reached: { liveAfter: LiveSchema; createdSchemas: string[]; createdSequences: Array<{ schema: string; name: string }> } | undefined) => Promise<string>);
  /** Where the migration is (or will be) written: findings name it. */
  writtenDir: string;
}

export interface TrialInput {
  /** A copy of the history's structure before the migration; the trial changes it (the caller drops it). */
  scratch: ScratchDatabase;
  /** The migrations before this one (the trial's folder is a copy of them plus this one). */
  historyDir: string;
  /** The migration(s) tried, in order: applied together (a contract in the same run as its expand), rolled back newest first. */
  migrations: TrialMigration[];
  /** Prisma's diff from the trial copy to the schema, after migration.sql: what is still left to do. */
  remaining?: () => Promise<{ differs: boolean; text: string }>;
  /** The database whose data the data rules read. */
  targetUrl?: string | undefined;
  /** How the author re-checks the file after editing it. */
  recheckCommand: string;
  time: <T>(label: string, work: () => Promise<T>) => Promise<T>;
}

export interface TrialResult {
  findings: Finding[];
  trial: TrialOutcome;
  /** Each migration's down.sql, in the order given. */
  downSql: string[];
}

/**
 * The trial of one migration: applied to a copy of the history's structure (with every hazard counted as
 * acknowledged: the lint reports them), checked to reach the schema, then down.sql, which must restore
 * the structure exactly; linted meanwhile against the structure before it (and the target's data). What
 * fails is a finding naming the statement, the database's error and what to do; nothing here throws for
 * a migration that does not work, so `create` always writes its file and the author can go on.
 */
export async function tryMigration(input: TrialInput): Promise<TrialResult> {
  const { scratch, time, migrations } = input;
  const names = migrations.map((m) => m.name);
  const workdir = await mkdtemp(join(tmpdir(), "sf-trial-"));
  const byName = (name: string | undefined) => migrations.find((m) => m.name === name) ?? (migrations[0] as TrialMigration);
  const file = (which: "migration.sql" | "down.sql", migration: TrialMigration = byName(undefined)) => ({ file: `${migration.name}/${which}`, path: join(migration.writtenDir, which) });
  let linting: Promise<Finding[]> | undefined;
  try {
    const { before, schemasBefore, sequencesBefore, liveBefore, version } = await withClient(scratch.url, async (client) => {
      const schemas = await listModelSchemas(client);
      return { before: await readSnapshot(client, schemas), schemasBefore: await listUserSchemas(client), sequencesBefore: await listSequences(client), liveBefore: await readWholeLiveSchema(client), version: await serverVersionNum(client) };
    });
    const trial = join(workdir, "migrations");
    await cp(input.historyDir, trial, { recursive: true });
    for (const migration of migrations) {
      await mkdir(join(trial, migration.name), { recursive: true });
      await writeFile(join(trial, migration.name, "migration.sql"), migration.upSql);
    }
    // Findings name the file where it is written, not the trial's copy.
    const toWritten = (finding: Finding): Finding => {
      const migration = migrations.find((m) => finding.path.startsWith(join(trial, m.name)));
      return migration ? { ...finding, path: join(migration.writtenDir, relative(join(trial, migration.name), finding.path)) } : finding;
    };
    linting = time("lint", async () => {
      const created = recogniseMigrations(await readLocalMigrations(trial, { names }));
      const found = input.targetUrl
        ? await withClient(input.targetUrl, async (client) => lintMigrations(created, { structure: liveBefore, serverVersionNum: version, client, dataStructure: await readWholeLiveSchema(client) }))
        : await lintMigrations(created, { structure: liveBefore, serverVersionNum: version });
      return found.map(toWritten);
    });
    // Settled even when the trial fails first, so no rejection goes unhandled; awaited below.
    linting.catch(() => undefined);
    const lintFindings = async (): Promise<Finding[]> => (await linting?.catch((error: unknown) => [unreadableFinding(file("migration.sql"), toToolkitError(error).summary, input.recheckCommand)])) ?? [];

    const applied = await time("trial up", () =>
      runMigrations({ databaseUrl: scratch.url, migrationsDir: trial, acknowledgeAllHazards: true, lockWaitMs: 10_000, contractsWaitForLaterRun: false }).catch((error: unknown) => toToolkitError(error)),
    );
    if (!("outcome" in applied) || applied.outcome !== "applied") {
      const findings = await lintFindings();
      const failed = "outcome" in applied ? byName(applied.failure?.migration ?? applied.migrations.find((m) => m.status === "failed")?.name) : byName(undefined);
      const failure = "outcome" in applied ? await failureFinding(applied, failed.upSql, file("migration.sql", failed), input.recheckCommand) : unreadableFinding(file("migration.sql"), applied.summary, input.recheckCommand);
      // A file that does not parse fails the lint the same way: one finding per cause.
      if (!findings.some((f) => f.rule === failure.rule)) findings.unshift(failure);
      const downSql = await Promise.all(migrations.map((m) => (typeof m.downSql === "string" ? m.downSql : m.downSql(undefined))));
      return { findings, downSql, trial: { up: "outcome" in applied ? applied.outcome : "unreadable", downRestores: false, differences: 0 } };
    }

    const [remaining, reached] = await Promise.all([
      input.remaining ? time("reach check", input.remaining) : Promise.resolve({ differs: false, text: "" }),
      withClient(scratch.url, async (client) => {
        const known = new Set(sequencesBefore.map((s) => `${s.schema}\u0000${s.name}`));
        return {
          liveAfter: await readWholeLiveSchema(client),
          createdSchemas: (await listUserSchemas(client)).filter((schema) => !schemasBefore.includes(schema)),
          createdSequences: (await listSequences(client)).filter((s) => !known.has(`${s.schema}\u0000${s.name}`)),
        };
      }),
    ]);
    const downSql = await Promise.all(migrations.map((m) => (typeof m.downSql === "string" ? m.downSql : m.downSql(reached))));
    for (const [index, migration] of migrations.entries()) await writeFile(join(trial, migration.name, "down.sql"), downSql[index] ?? "");
    const rolledBack = await time("trial down", () =>
      rollbackMigrations({ databaseUrl: scratch.url, migrationsDir: trial, names, acknowledgeAllHazards: true, lockWaitMs: 10_000 }).catch((error: unknown) => ({ outcome: "failed" as const, error: toToolkitError(error) })),
    );
    const after = await withClient(scratch.url, async (client) => readSnapshot(client, await listModelSchemas(client)));
    const differences = rolledBack.outcome === "rolled-back" ? diffSnapshots(before, after) : [];

    const findings = await lintFindings();
    if (remaining.differs && remaining.text.trim()) {
      findings.push({
        rule: "require-reaching-schema",
        source: "soleflip",
        level: "warning",
        ...file("migration.sql", migrations.at(-1)),
        line: 1,
        message: `After ${migrations.length > 1 ? "these migrations" : "migration.sql"}, Prisma still finds changes to make on the trial copy: ${remaining.text.replace(/\s+/g, " ").trim().slice(0, 300)}`,
        help: `Add the missing statements to migration.sql, then run \`${input.recheckCommand}\`.`,
      });
    }
    if (rolledBack.outcome !== "rolled-back" || differences.length > 0) {
      findings.push({
        rule: "require-restoring-down-sql",
        source: "soleflip",
        level: "warning",
        ...file("down.sql", migrations[0]),
        line: 1,
        message:
          rolledBack.outcome !== "rolled-back"
            ? `down.sql did not run on the trial copy: ${"error" in rolledBack ? rolledBack.error.summary : rolledBack.outcome}.`
            : `down.sql does not restore the previous structure: ${differences.length} difference(s), e.g. ${differences.slice(0, 3).map((d) => `${d.kind} ${d.name}`).join(", ")}.`,
        help: `Edit down.sql so that it undoes the migration exactly (data a migration drops cannot come back), then run \`${input.recheckCommand}\`.`,
      });
    }
    return { findings, downSql, trial: { up: applied.outcome, downRestores: rolledBack.outcome === "rolled-back" && differences.length === 0, differences: differences.length } };
  } finally {
    await linting?.catch(() => undefined);
    await rm(workdir, { recursive: true, force: true });
  }
}

function unreadableFinding(where: { file: string; path: string }, summary: string, recheck: string): Finding {
  return { rule: "require-applying-migration", source: "soleflip", level: "error", ...where, line: 1, message: `The migration cannot be read: ${summary}`, help: `Correct the SQL, then run \`${recheck}\`.` };
}

/**
 * The failed trial as a finding: the statement (by its line in the file), PostgreSQL's error, and the fix
 * when the error names something an extension provides.
 */
async function failureFinding(applied: RunLog, upSql: string, where: { file: string; path: string }, recheck: string): Promise<Finding> {
  const failedOperation = applied.migrations.flatMap((m) => m.operations).find((op) => op.outcome === "failed" || op.steps.some((s) => s.status === "failed"));
  const failedStep = failedOperation?.steps.find((s) => s.status === "failed");
  const error = failedStep?.error ?? applied.failure?.summary ?? applied.refusal?.summary ?? "";
  const preflight = applied.preflight.filter((p) => !p.passed);
  const statements = await parseStatements(upSql).catch(() => []);
  const operation = failedOperation ? recogniseOperations(statements, where.file).operations.find((op) => op.id === failedOperation.operationId) : undefined;
  const line = operation?.statements[0]?.line ?? 1;
  const missing = missingObjectOf(error);
  const extension = missing ? extensionProviding(missing.kind, missing.name, missing.accessMethod) : undefined;
  const what = failedStep ? `${failedStep.description}: ${error}` : preflight.length > 0 ? preflight.map((p) => `${p.check} ${p.table}: ${p.message}`).join("; ") : `${applied.outcome}${error ? `: ${error}` : ""}`;
  const help = extension
    ? `${missing?.kind} "${missing?.name}" comes from the extension ${extension}: add \`CREATE EXTENSION IF NOT EXISTS ${extension.includes("-") ? `"${extension}"` : extension};\` at the top of this file (or declare it: \`extensions = [${extension.includes("-") ? `"${extension}"` : extension}]\` in the datasource, with the postgresqlExtensions preview feature), then run \`${recheck}\`.`
    : missing
      ? `${missing.kind} "${missing.name}" does not exist before this migration: create it first (a hand-written statement at the top of this file, or an earlier migration; if an extension provides it, \`CREATE EXTENSION IF NOT EXISTS <name>;\`), then run \`${recheck}\`.`
      : `Edit migration.sql so that it applies to the history's structure (the trial runs it on a copy of it), then run \`${recheck}\`.`;
  return { rule: "require-applying-migration", source: "soleflip", level: "error", ...where, line, message: `The migration does not apply to the history's structure: ${what}`, help };
}
