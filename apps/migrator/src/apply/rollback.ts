import { readWholeLiveSchema } from "@soleflip/catalog";
import { ToolkitError } from "@soleflip/core";
import { connectClient } from "@soleflip/postgres";
import { parseStatements } from "@soleflip/sql";
import { readLocalMigrations } from "../history/local-migrations.ts";
import { planOperation } from "../plan/plan-operation.ts";
import { recogniseOperations } from "../plan/recognise.ts";
import { acquireMigrationLock } from "./advisory-lock.ts";
import { DEFAULT_EXECUTION, executeStep } from "./executor.ts";

export interface RollbackResult {
  rolledBack: Array<{ name: string; steps: number; durationMs: number }>;
}

/**
 * Runs the down.sql of the named migrations, newest first, with the same online-safe execution as the
 * way up (operations decided from the live definitions, short lock timeouts), and marks each one rolled
 * back in _prisma_migrations so a later `migrate` applies it again.
 */
export async function rollbackMigrations(options: { databaseUrl: string; migrationsDir: string; names: readonly string[] }): Promise<RollbackResult> {
  const local = await readLocalMigrations(options.migrationsDir);
  const targets = local.filter((migration) => options.names.includes(migration.name)).reverse();
  const missing = options.names.filter((name) => !local.some((m) => m.name === name));
  const withoutDown = targets.filter((m) => m.downSql === undefined).map((m) => m.name);
  if (missing.length > 0 || withoutDown.length > 0) {
    throw new ToolkitError({
      code: "migrator.rollback.impossible",
      summary: missing.length ? `No migration named ${missing.join(", ")}.` : `No down.sql for ${withoutDown.join(", ")}.`,
      fix: "Roll forward with a new migration instead. Nothing was changed.",
    });
  }
  const client = await connectClient(options.databaseUrl, { applicationName: "soleflip-migrator-rollback" });
  const release = await acquireMigrationLock(client, 60_000);
  const result: RollbackResult = { rolledBack: [] };
  try {
    for (const migration of targets) {
      const started = performance.now();
      const source = `${migration.name}/down.sql`;
      const { operations, problems } = recogniseOperations(await parseStatements(migration.downSql ?? "", source), source);
      if (problems.length > 0) throw new ToolkitError({ code: "migrator.rollback.invalid", summary: problems.join("; "), fix: `Fix ${source}.` });
      let steps = 0;
      for (const operation of operations) {
        const planned = planOperation(operation, await readWholeLiveSchema(client));
        for (const step of planned.steps) {
          await executeStep(client, step, DEFAULT_EXECUTION);
          steps++;
        }
      }
      await client.query(`UPDATE "public"."_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1 AND rolled_back_at IS NULL`, [migration.name]);
      await client.query(`DELETE FROM "public"."_soleflip_migrator_journal" WHERE migration_name = $1`, [migration.name]).catch(() => undefined);
      result.rolledBack.push({ name: migration.name, steps, durationMs: Math.round(performance.now() - started) });
    }
    return result;
  } finally {
    await release();
    await client.end().catch(() => undefined);
  }
}
