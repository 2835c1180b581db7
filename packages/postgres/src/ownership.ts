import { hostname } from "node:os";
import { ToolkitError } from "@soleflip/core";
import { quoteIdent, quoteLiteral } from "@soleflip/sql";
import type pg from "pg";
import { withClient } from "./connect.ts";
import { processAlive } from "./process-alive.ts";

/**
 * Databases this toolkit creates carry a mark in their comment: what they are for, when and by which
 * process they were made. Only a database with the mark is ever dropped or overwritten; anything else
 * with the same name stops the run. Abandoned scratch databases (their process is gone) are swept.
 */
const MARK_PREFIX = "soleflip-toolkit ";

export type Purpose = "scratch" | "demo" | "cache" | "default";

export interface Ownership {
  purpose: Purpose;
  createdAt: string;
  host: string;
  pid: number;
}

export type DatabaseState = { state: "absent" } | { state: "foreign" } | { state: "owned"; ownership: Ownership };

type Queryable = Pick<pg.ClientBase, "query">;

export function ownershipMark(purpose: Purpose): Ownership {
  return { purpose, createdAt: new Date().toISOString(), host: hostname(), pid: process.pid };
}

function parseMark(comment: string | null): Ownership | undefined {
  if (!comment?.startsWith(MARK_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(comment.slice(MARK_PREFIX.length)) as Partial<Ownership>;
    return typeof parsed.purpose === "string" && typeof parsed.pid === "number" ? (parsed as Ownership) : undefined;
  } catch {
    return undefined;
  }
}

export async function databaseState(client: Queryable, name: string): Promise<DatabaseState> {
  const result = await client.query<{ comment: string | null }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name]);
  const row = result.rows[0];
  if (!row) return { state: "absent" };
  const ownership = parseMark(row.comment);
  return ownership ? { state: "owned", ownership } : { state: "foreign" };
}

/** CREATE DATABASE, then mark it as ours (the creator owns it, so it may comment on it). */
export async function createOwnedDatabase(adminUrl: string, name: string, purpose: Purpose, options: { template?: string; fileCopy?: boolean } = {}): Promise<void> {
  await withClient(adminUrl, async (client) => {
    try {
      // FILE_COPY (PostgreSQL 15+): a big template is copied as files, not written through the WAL (a standby replays a checkpoint, not gigabytes)
      await client.query(`CREATE DATABASE ${quoteIdent(name)}${options.template ? ` TEMPLATE ${quoteIdent(options.template)}` : ""}${options.fileCopy ? " STRATEGY = FILE_COPY" : ""}`);
    } catch (error) {
      throw creationError(error, name);
    }
    await client.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(MARK_PREFIX + JSON.stringify(ownershipMark(purpose)))}`);
  });
}

function creationError(error: unknown, name: string): unknown {
  const code = (error as { code?: string }).code;
  if (code === "42501") {
    return new ToolkitError({
      code: "postgres.no-createdb",
      summary: `The database user may not create databases (CREATE DATABASE ${name}: permission denied).`,
      fix: "Grant CREATEDB to the user, or set SHADOW_DATABASE_URL to a server where scratch databases may be created, or unset it to use the embedded PostgreSQL.",
      cause: error,
    });
  }
  if (code === "42P04") {
    return new ToolkitError({ code: "postgres.database-exists", summary: `A database named ${name} already exists.`, fix: "Drop it yourself if it is not needed, or choose another name.", cause: error });
  }
  return error;
}

/** Renames a database of ours and marks it again (e.g. a finished build becoming a cache). */
export async function renameOwnedDatabase(adminUrl: string, from: string, to: string, purpose: Purpose): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const state = await databaseState(client, from);
    if (state.state !== "owned") throw notOwned(from);
    // One transaction: the database never carries its new name with its old mark.
    await client.query("BEGIN");
    try {
      await client.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
      await client.query(`COMMENT ON DATABASE ${quoteIdent(to)} IS ${quoteLiteral(MARK_PREFIX + JSON.stringify(ownershipMark(purpose)))}`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}

/** Drops a database only when it carries our mark; a database of the same name without it stops the run. */
export async function dropOwnedDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const state = await databaseState(client, name);
    if (state.state === "absent") return;
    if (state.state === "foreign") throw notOwned(name);
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

/** A fresh database of this name: created, or dropped and created again when it is ours. */
export async function recreateOwnedDatabase(adminUrl: string, name: string, purpose: Purpose): Promise<void> {
  await dropOwnedDatabase(adminUrl, name);
  await createOwnedDatabase(adminUrl, name, purpose);
}

export function notOwned(name: string): ToolkitError {
  return new ToolkitError({
    code: "postgres.not-owned",
    summary: `A database named ${name} exists and was not created by this toolkit; it was left untouched.`,
    fix: `Drop or rename it yourself if it is not needed, or choose another name (e.g. --database-prefix).`,
  });
}

const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Drops scratch databases whose creator is gone: on this host, a process that no longer runs; from
 * another host, older than a day. Unmarked databases and other purposes are never touched.
 */
export async function sweepAbandonedScratch(adminUrl: string): Promise<string[]> {
  return withClient(adminUrl, async (client) => {
    const rows = await client.query<{ name: string; comment: string | null }>(
      "SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE $1",
      [`${MARK_PREFIX}%`],
    );
    const swept: string[] = [];
    for (const row of rows.rows) {
      const mark = parseMark(row.comment);
      if (!mark || mark.purpose !== "scratch" || mark.pid === process.pid) continue;
      const abandoned = mark.host === hostname() ? !processAlive(mark.pid) : Date.now() - Date.parse(mark.createdAt) > ABANDONED_AFTER_MS;
      if (!abandoned) continue;
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(row.name)} WITH (FORCE)`);
      swept.push(row.name);
    }
    return swept;
  });
}
