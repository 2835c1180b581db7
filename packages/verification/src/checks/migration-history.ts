import type { Check, CheckFinding } from "./check.ts";

/** Applied, pending, failed and edited migrations, from Prisma's _prisma_migrations and the files. */
export const migrationHistory: Check = {
  id: "migration-history",
  title: "Migration history (applied, pending, failed, edited)",
  async run({ migrations, history }) {
    const sql = ["SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, logs FROM public._prisma_migrations ORDER BY started_at, migration_name"];
    if (history === undefined) {
      return {
        status: "fail",
        summary: "The database has no _prisma_migrations table: it was never migrated with Prisma or soleflip-migrator.",
        findings: [{ subject: "_prisma_migrations", expected: "exists", actual: "missing", message: "no migration history; run pnpm db:migrate (it adopts a baseline database)" }],
        sql,
        compared: migrations.length,
      };
    }
    const findings: CheckFinding[] = [];
    const current = history.filter((row) => !row.rolledBackAt);
    for (const migration of migrations) {
      const rows = current.filter((row) => row.migrationName === migration.name);
      const finished = rows.find((row) => row.finishedAt);
      if (!finished && rows.length > 0) findings.push({ subject: migration.name, expected: "applied", actual: "failed", message: `${migration.name} started but did not finish: ${rows[0]?.logs?.split("\n")[0] ?? "no log"}` });
      else if (!finished) findings.push({ subject: migration.name, expected: "applied", actual: "pending", message: `${migration.name} is pending` });
      else if (finished.checksum !== migration.checksum) findings.push({ subject: migration.name, expected: migration.checksum, actual: finished.checksum, message: `${migration.name} was edited after it was applied` });
    }
    for (const row of current) {
      if (!migrations.some((m) => m.name === row.migrationName)) findings.push({ subject: row.migrationName, expected: "in the migrations folder", actual: "only in the database", message: `${row.migrationName} is recorded but not in the migrations folder` });
    }
    const applied = migrations.length - findings.filter((f) => f.actual === "pending" || f.actual === "failed").length;
    return {
      status: findings.length === 0 ? "pass" : "fail",
      summary: findings.length === 0 ? `All ${migrations.length} migrations applied, none edited since.` : `${findings.length} problem(s) in the migration history (${applied} of ${migrations.length} applied).`,
      findings,
      sql,
      compared: migrations.length,
    };
  },
};
