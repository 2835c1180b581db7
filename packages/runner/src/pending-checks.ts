import { ToolkitError } from "@soleflip/core";
import type { RecognisedMigration } from "./recognise-migrations.ts";

/** The 14-digit timestamp Prisma puts before a migration's name (`20251117000100_fix_…`). */
function timestampOf(name: string): string | undefined {
  return /^(\d{14})_/.exec(name)?.[1];
}

/**
 * What the runner questions in the migrations it is about to apply, before anything runs (migrations
 * already applied are history and stay as they are):
 * - an empty migration.sql at the head of the history (Prisma records it as applied, doing nothing: a file
 *   saved before it was written, e.g. after `migrate dev --create-only`). One with later migrations after it
 *   is history someone kept, and a fresh database must still be able to apply it;
 * - a migration that sorts before one already applied (a branch merged late: other databases applied them
 *   in another order, so this database would end up different).
 * Two pending migrations with the same timestamp are a notice, not a refusal: they run in their names'
 * order, as Prisma runs them, and real histories hold such pairs (langfuse's has several).
 */
export function checkPendingMigrations(local: readonly RecognisedMigration[], pending: readonly RecognisedMigration[], applied: ReadonlySet<string>): Array<{ code: string; summary: string }> {
  const lastWithStatements = local.findLastIndex((migration) => migration.statements.length > 0);
  const empty = pending.filter((migration) => migration.statements.length === 0 && local.indexOf(migration) > lastWithStatements);
  if (empty.length > 0) {
    throw new ToolkitError({
      code: "migrator.migration.empty",
      summary: `${empty.map((m) => `${m.name}/migration.sql`).join(", ")} hold${empty.length === 1 ? "s" : ""} no statement: applied, ${empty.length === 1 ? "it" : "they"} would be recorded as done while changing nothing.`,
      fix: "Write the migration's SQL (pnpm db:migrate:create writes it from schema.prisma), or delete the empty folder. Nothing was changed in the database.",
    });
  }
  const notices: Array<{ code: string; summary: string }> = [];
  const byTimestamp = new Map<string, string[]>();
  for (const migration of pending) {
    const timestamp = timestampOf(migration.name);
    if (timestamp) byTimestamp.set(timestamp, [...(byTimestamp.get(timestamp) ?? []), migration.name]);
  }
  for (const [timestamp, names] of byTimestamp) {
    if (names.length < 2) continue;
    notices.push({
      code: "migrator.migration.duplicate-timestamp",
      summary: `${names.join(" and ")} share the timestamp ${timestamp}: they run in their names' order, as prisma migrate deploy runs them. If one needs the other first, give it the later timestamp before this is applied anywhere.`,
    });
  }
  const lastApplied = local.filter((m) => applied.has(m.name)).at(-1);
  const early = lastApplied ? pending.filter((m) => m.name < lastApplied.name) : [];
  if (lastApplied && early.length > 0) {
    throw new ToolkitError({
      code: "migrator.migration.out-of-order",
      summary: `${early.map((m) => m.name).join(", ")} sort${early.length === 1 ? "s" : ""} before ${lastApplied.name}, which this database has already applied: applied now, it would run after it here and before it everywhere else (prisma migrate deploy applies it without a word).`,
      fix: `Give it a timestamp after ${lastApplied.name} (rename its folder, e.g. to ${nextTimestamp(local)}_${early[0]?.name.slice(15) ?? "name"}), after checking that it does not depend on being first. Nothing was changed in the database.`,
    });
  }
  return notices;
}

/** A timestamp one second after the newest migration's (a folder name to suggest). */
function nextTimestamp(local: readonly RecognisedMigration[]): string {
  const newest = local.map((m) => timestampOf(m.name)).filter((t): t is string => t !== undefined).at(-1);
  if (!newest) return "20260101000000";
  const date = new Date(Date.UTC(Number(newest.slice(0, 4)), Number(newest.slice(4, 6)) - 1, Number(newest.slice(6, 8)), Number(newest.slice(8, 10)), Number(newest.slice(10, 12)), Number(newest.slice(12, 14)) + 1));
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}
