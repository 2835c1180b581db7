import { createHash } from "node:crypto";
import type { LocalMigrationFile } from "@soleflip/history";
import { randomBytes } from "node:crypto";
import { ToolkitError } from "@soleflip/core";
import { createOwnedDatabase, createScratchDatabase, databaseState, dropOwnedDatabase, renameOwnedDatabase, takeSpareDatabase, withClient, withDatabase, type ScratchDatabase } from "@soleflip/postgres";
import { runMigrations } from "@soleflip/runner";

/** Bumped when what a template holds changes, so older templates are not reused. */
const TEMPLATE_FORMAT = "1";
const PREFIX = "sf_cache_history_";
/** A ready copy of a template, made during one run for the next: `create` takes it instead of copying. */
const SPARE_PREFIX = "sf_spare_history_";
const KEEP = 3;

const spareOf = (template: string) => `${SPARE_PREFIX}${template.slice(PREFIX.length)}`;

/**
 * A scratch copy of the history template: the spare an earlier run left (renamed, instant) or a fresh copy.
 * Either way a new spare is started for the next run; `spareReady` settles when it is made (or could not
 * be: another run may be making it), and never rejects.
 */
export async function copyOfHistory(adminUrl: string, template: string, prefix: string): Promise<{ scratch: ScratchDatabase; spareReady: Promise<void> }> {
  const scratch = (await takeSpareDatabase(adminUrl, spareOf(template), { prefix })) ?? (await createScratchDatabase(adminUrl, { prefix, template }));
  // When a spare of that name exists already (another run made it), CREATE DATABASE refuses: nothing to do.
  const spareReady = createOwnedDatabase(adminUrl, spareOf(template), "cache", { template }).catch(() => undefined);
  return { scratch, spareReady };
}

/**
 * A database holding the structure the migration history builds, kept on the scratch server as a
 * template: `create` clones it (CREATE DATABASE … TEMPLATE, a file copy) instead of replaying the
 * history each time. It is named by a hash of every migration's name and checksum, so any change to
 * the history makes a new one; the newest few are kept, older ones dropped (only ours, marked).
 */
export async function historyTemplate(adminUrl: string, migrationsDir: string, migrations: ReadonlyArray<Pick<LocalMigrationFile, "name" | "checksum">>): Promise<{ name: string; built: boolean }> {
  const hash = createHash("sha256")
    .update(TEMPLATE_FORMAT)
    .update(migrations.map((m) => `${m.name}:${m.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const name = `${PREFIX}${hash}`;
  const state = await withClient(adminUrl, (client) => databaseState(client, name));
  if (state.state === "owned") return { name, built: false };
  if (state.state === "foreign") throw new ToolkitError({ code: "postgres.not-owned", summary: `A database named ${name} exists and was not created by this toolkit.`, fix: "Drop it yourself; create uses that name for its cache." });

  // Built under a temporary name and renamed when complete, so a killed build is never taken for a template.
  const building = `${name}_${randomBytes(3).toString("hex")}`;
  await createOwnedDatabase(adminUrl, building, "scratch");
  try {
    const log = await runMigrations({ databaseUrl: withDatabase(adminUrl, building), migrationsDir, acknowledgeAllHazards: true, lockWaitMs: 10_000 });
    if (log.outcome !== "applied" && log.outcome !== "up-to-date") {
      const failed = log.migrations.flatMap((m) => m.operations.flatMap((op) => op.steps.filter((s) => s.status === "failed").map((s) => `${m.name}: ${s.description}: ${s.error ?? ""}`)));
      throw new ToolkitError({
        code: "migrator.create.history-does-not-apply",
        summary: `The existing migrations do not apply to an empty database (${log.outcome}${failed.length ? `: ${failed[0]}` : ""}).`,
        fix: "Fix the history first: run `pnpm db:migrate` against an empty database to see the failing step.",
      });
    }
    await renameOwnedDatabase(adminUrl, building, name, "cache");
  } catch (error) {
    await dropOwnedDatabase(adminUrl, building).catch(() => undefined);
    // Another create on the same server built the same history meanwhile: use its template. PostgreSQL says so as
    // duplicate_database, or as a unique violation of pg_database's name when both renames run at the same moment.
    const code = (error as { code?: unknown }).code;
    const raced = (code === "42P04" || code === "23505") && (await withClient(adminUrl, (client) => databaseState(client, name))).state === "owned";
    if (raced) return { name, built: false };
    throw error;
  }
  await pruneTemplates(adminUrl, name);
  return { name, built: true };
}

async function pruneTemplates(adminUrl: string, keep: string): Promise<void> {
  const rows = await withClient(adminUrl, (client) =>
    client.query<{ name: string }>(
      "SELECT datname AS name FROM pg_database WHERE datname LIKE $1 AND datname <> $2 AND shobj_description(oid, 'pg_database') LIKE 'soleflip-toolkit %' ORDER BY oid DESC",
      [`${PREFIX}%`, keep],
    ),
  );
  for (const row of rows.rows.slice(KEEP - 1)) await dropOwnedDatabase(adminUrl, row.name).catch(() => undefined);
  // Spares of earlier histories will not be taken again.
  const spares = await withClient(adminUrl, (client) =>
    client.query<{ name: string }>("SELECT datname AS name FROM pg_database WHERE datname LIKE $1 AND datname <> $2 AND shobj_description(oid, 'pg_database') LIKE 'soleflip-toolkit %'", [`${SPARE_PREFIX}%`, spareOf(keep)]),
  );
  for (const row of spares.rows) await dropOwnedDatabase(adminUrl, row.name).catch(() => undefined);
}
