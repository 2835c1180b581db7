import type pg from "pg";
import { catalogSql } from "./load-sql.ts";

export type GuardName = "lock_timeout" | "statement_timeout" | "idle_in_transaction_session_timeout" | "transaction_timeout";

/** A guard as the server gives it to a new session of this role: 0 is "no limit". */
export interface ServerGuard {
  name: GuardName;
  valueMs: number;
  /** Who set it, in words: "role app", "database soleflip", "role app in database soleflip", "the server's configuration", "PostgreSQL's default". */
  source: string;
}

function sourceInWords(source: string, role: string, database: string): string {
  switch (source) {
    case "user":
      return `role ${role}`;
    case "database":
      return `database ${database}`;
    case "database user":
      return `role ${role} in database ${database}`;
    case "default":
      return "PostgreSQL's default";
    case "client":
      return "the connection's options";
    case "configuration file":
      return "the server's configuration";
    default:
      return source;
  }
}

/** The session guards (lock_timeout, statement_timeout, …) of this connection, and where they come from. */
export async function readServerGuards(client: pg.ClientBase): Promise<ServerGuard[]> {
  const result = await client.query<{ name: GuardName; value_ms: string; source: string; role_name: string; database_name: string }>(catalogSql("session-guards"));
  return result.rows.map((row) => ({ name: row.name, valueMs: Number(row.value_ms), source: sourceInWords(row.source, row.role_name, row.database_name) }));
}

/** A session another one waits for. */
export interface BlockingSession {
  pid: number;
  user: string;
  applicationName: string;
  state: string;
  /** When its transaction (or query) started. */
  since: string;
  heldMs: number;
  queryFirstLine: string;
}

export interface LockWait {
  /** The lock asked for: its mode and what it is on. */
  wantedMode: string;
  wantedOn: string;
  blockers: BlockingSession[];
}

/** What a backend waits for and who holds it (pg_blocking_pids, pg_stat_activity); undefined when it is not waiting. */
export async function readLockWait(client: pg.ClientBase, pid: number): Promise<LockWait | undefined> {
  const result = await client.query<{ wanted_mode: string; wanted_locktype: string; wanted_relation: string | null; pid: number; user_name: string | null; application_name: string | null; state: string | null; since: Date; held_ms: string; query_first_line: string }>(
    catalogSql("blocking-sessions"),
    [pid],
  );
  const first = result.rows[0];
  if (!first) return undefined;
  return {
    wantedMode: first.wanted_mode,
    wantedOn: first.wanted_relation ?? first.wanted_locktype,
    blockers: result.rows.map((row) => ({
      pid: row.pid,
      user: row.user_name ?? "",
      applicationName: row.application_name ?? "",
      state: row.state ?? "",
      since: row.since.toISOString(),
      heldMs: Number(row.held_ms),
      queryFirstLine: row.query_first_line,
    })),
  };
}

/** "pid 4242 (user app, application psql, idle in transaction since 12:00:01Z, 14.2 s): UPDATE …" */
export function describeBlocker(session: BlockingSession): string {
  const facts = [
    session.user ? `user ${session.user}` : undefined,
    session.applicationName ? `application "${session.applicationName}"` : undefined,
    session.state ? `${session.state} since ${session.since.slice(11, 19)}Z (${(session.heldMs / 1000).toFixed(1)} s)` : undefined,
  ].filter(Boolean);
  return `pid ${session.pid} (${facts.join(", ")})${session.queryFirstLine ? `: ${session.queryFirstLine}` : ""}`;
}

/** How many other sessions wait for a lock this session holds now. */
export async function countSessionsWaitingOnMe(client: Pick<pg.ClientBase, "query">): Promise<number> {
  const result = await client.query<{ waiting: string }>(catalogSql("sessions-waiting-on-me"));
  return Number(result.rows[0]?.waiting ?? 0);
}
