import type pg from "pg";
import { ToolkitError, redactConnectionString } from "@soleflip/core";
import { connectClient } from "./connect.ts";

const ATTEMPTS = 3;

/**
 * Evidence that `url` goes through a pooler in transaction (or statement) mode, or undefined when every
 * connection keeps its own server session. A session is a backend: directly, or behind a pooler in session
 * mode, a client connection is served by one backend for its lifetime and no other connection shares it.
 * Behind transaction pooling the backend goes back to the pool after each statement outside a transaction
 * and the next client gets it (PgBouncer reuses the most recent one first), so two connections that take
 * turns are served by the same backend, or one connection by two. Asked in turns, never at once: a pool of
 * one server connection cannot deadlock the probe.
 */
export async function transactionPoolingEvidence(url: string): Promise<string | undefined> {
  const first = await connectClient(url);
  try {
    const second = await connectClient(url);
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const before = await backendPid(first);
        const other = await backendPid(second);
        const after = await backendPid(first);
        if (other === before) return `two connections were served by the same server session (pid ${before})`;
        if (after !== before) return `one connection was served by two server sessions (pids ${before} and ${after})`;
      }
      return undefined;
    } finally {
      await second.end().catch(() => undefined);
    }
  } finally {
    await first.end().catch(() => undefined);
  }
}

/**
 * Stops a run whose guarantees rest on a session (the migration lock is a session advisory lock, the
 * lock_timeout a session setting, CREATE INDEX CONCURRENTLY must run outside a transaction on the same
 * backend) when the URL goes through a transaction-mode pooler.
 */
export async function assertSessionConnection(url: string, variable: string): Promise<void> {
  const evidence = await transactionPoolingEvidence(url);
  if (!evidence) return;
  throw new ToolkitError({
    code: "postgres.transaction-pooler",
    summary: `${variable} (${redactConnectionString(url)}) goes through a connection pooler in transaction mode: ${evidence}. The migration lock (a session advisory lock) and the session's lock_timeout would not hold there, so nothing was done.`,
    fix: "Set DIRECT_DATABASE_URL to a direct connection to PostgreSQL (as Prisma's directUrl), or point DATABASE_URL at the server or at a pooler in session mode.",
  });
}

async function backendPid(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return Number(result.rows[0]?.pid);
}
