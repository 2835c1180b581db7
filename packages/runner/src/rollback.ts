import { readWholeLiveSchema } from "@soleflip/catalog";
import { ToolkitError } from "@soleflip/core";
import { clearLegacyJournal, markRolledBack, readHistory, readLocalMigrations } from "@soleflip/history";
import { planOperation, recogniseOperations, runPreflight, type PreflightResult } from "@soleflip/planner";
import { connectClient, serverVersionNum } from "@soleflip/postgres";
import { parseStatements } from "@soleflip/sql";
import { acquireMigrationLock } from "./advisory-lock.ts";
import { DEFAULT_EXECUTION, executeStep, type ExecutionOptions } from "./executor.ts";

export interface RollbackResult {
  outcome: "rolled-back" | "preflight-failed" | "dry-run";
  rolledBack: Array<{ name: string; steps: number; durationMs: number }>;
  preflight: PreflightResult[];
}

/**
 * Runs the down.sql of the named migrations, newest first, with the same online-safe execution and the
 * same read-only pre-flight as the way up (hazards in a down.sql need an acknowledgement too), and marks
 * each one rolled back in _prisma_migrations so that a later `migrate` applies it again. Only the newest
 * applied migrations can be rolled back; nothing changes when any check fails.
 */
export async function rollbackMigrations(options: {
  databaseUrl: string;
  migrationsDir: string;
  names: readonly string[];
  dryRun?: boolean;
  execution?: Partial<ExecutionOptions>;
  lockWaitMs?: number;
  /** A trial on a scratch copy: hazards count as acknowledged. */
  acknowledgeAllHazards?: boolean;
}): Promise<RollbackResult> {
  const execution = { ...DEFAULT_EXECUTION, ...options.execution };
  const local = await readLocalMigrations(options.migrationsDir);
  const missing = options.names.filter((name) => !local.some((m) => m.name === name));
  if (missing.length > 0) {
    throw new ToolkitError({ code: "migrator.rollback.unknown-migration", summary: `No migration named ${missing.join(", ")}.`, fix: `Known: ${local.map((m) => m.name).join(", ")}. Nothing was changed.` });
  }
  const targets = local.filter((migration) => options.names.includes(migration.name)).reverse();
  const withoutDown = targets.filter((m) => m.downSql === undefined).map((m) => m.name);
  if (withoutDown.length > 0) {
    throw new ToolkitError({ code: "migrator.rollback.no-down-sql", summary: `No down.sql for ${withoutDown.join(", ")}.`, fix: "Roll forward with a new migration instead. Nothing was changed." });
  }
  const downs = await Promise.all(
    targets.map(async (migration) => {
      const source = `${migration.name}/down.sql`;
      const { operations, problems } = recogniseOperations(await parseStatements(migration.downSql ?? "", source), source);
      if (problems.length > 0) throw new ToolkitError({ code: "migrator.rollback.invalid", summary: problems.join("; "), fix: `Fix ${source}. Nothing was changed.` });
      return { migration, operations };
    }),
  );

  const client = await connectClient(options.databaseUrl, { applicationName: "soleflip-migrator-rollback" });
  let release: (() => Promise<void>) | undefined;
  try {
    release = await acquireMigrationLock(client, options.lockWaitMs ?? 60_000);
    const history = await readHistory(client);
    const applied = local.filter((migration) => history.some((row) => row.migrationName === migration.name && row.finishedAt && !row.rolledBackAt)).map((m) => m.name);
    const notApplied = targets.filter((m) => !applied.includes(m.name)).map((m) => m.name);
    if (notApplied.length > 0) {
      throw new ToolkitError({ code: "migrator.rollback.not-applied", summary: `${notApplied.join(", ")} ${notApplied.length === 1 ? "is" : "are"} not applied to this database (per _prisma_migrations).`, fix: "Roll back only applied migrations (`prisma migrate status` lists them). Nothing was changed." });
    }
    const newest = applied.slice(-targets.length);
    if (targets.some((m) => !newest.includes(m.name))) {
      throw new ToolkitError({ code: "migrator.rollback.not-newest", summary: `Only the newest applied migrations can be rolled back; the newest ${targets.length} are ${newest.join(", ")}.`, fix: "Name the newest migrations (they are rolled back newest first). Nothing was changed." });
    }
    const version = await serverVersionNum(client);
    const live = await readWholeLiveSchema(client);
    const plans = downs.map(({ migration, operations }) => ({ migration: `${migration.name} (down)`, planned: operations.map((operation) => planOperation(operation, { live, serverVersionNum: version })) }));
    const preflight = await runPreflight(client, plans, live, version, { acknowledgeAll: options.acknowledgeAllHazards === true });
    if (preflight.some((result) => !result.passed)) return { outcome: "preflight-failed", rolledBack: [], preflight };
    if (options.dryRun) return { outcome: "dry-run", rolledBack: [], preflight };

    const result: RollbackResult = { outcome: "rolled-back", rolledBack: [], preflight };
    for (const { migration, operations } of downs) {
      const started = performance.now();
      let steps = 0;
      for (const operation of operations) {
        const planned = planOperation(operation, { live: await readWholeLiveSchema(client), serverVersionNum: version });
        for (const step of planned.steps) {
          await executeStep(client, step, execution);
          steps++;
        }
      }
      await markRolledBack(client, migration.name);
      await clearLegacyJournal(client, migration.name);
      result.rolledBack.push({ name: migration.name, steps, durationMs: Math.round(performance.now() - started) });
    }
    return result;
  } finally {
    await release?.();
    await client.end().catch(() => undefined);
  }
}
