import { execFile } from "node:child_process";
import { cp, mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import type pg from "pg";
import type { PostgresMajor } from "./binaries.ts";
import { connectClient, parseDatabaseUrl, withDatabase } from "./connect.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { processAlive } from "./process-alive.ts";

const run = promisify(execFile);

export interface Standby {
  /** The standby's maintenance database (read-only: a hot standby). */
  adminUrl: string;
  /** `application_name` the standby reports in the primary's pg_stat_replication. */
  name: string;
  /** `url` of a database on the primary, pointed at the same database on the standby. */
  sameDatabase(url: string): string;
  /** Stops the standby and drops its replication slot on the primary. */
  stop(): Promise<void>;
}

/** Left out of the copy: the running server's own files and what the standby rebuilds or streams. */
const SKIPPED = new Set(["postmaster.pid", "postmaster.opts"]);
const EMPTIED = new Set(["pg_wal", "pg_replslot", "pg_stat_tmp", "pgsql_tmp"]);

/**
 * A streaming hot standby of an embedded primary, as pg_basebackup would make it but with the server's
 * own backup functions (the embedded packages ship no pg_basebackup, and Debian's is too old for 18):
 * a physical replication slot keeps the WAL, `pg_backup_start` … file copy … `pg_backup_stop` gives the
 * backup_label, and `standby.signal` with primary_conninfo makes it stream. `dir` must not exist yet
 * (or be empty); the standby's data goes to `<dir>/data`.
 */
export async function createStandby(primary: EmbeddedServer & { dataDir: string; major: PostgresMajor }, dir: string, port: number): Promise<Standby> {
  // The slot's name carries this process's id: a slot whose process is gone (a run killed during the copy)
  // keeps WAL on the primary forever, and the next standby of ours drops it.
  const name = `${SLOT_PREFIX}${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dataDir = join(dir, "data");
  const client = await connectClient(primary.adminUrl);
  try {
    await dropAbandonedStandbySlots(client);
    await client.query("SELECT pg_create_physical_replication_slot($1, true)", [name]);
    await client.query(primary.major >= 15 ? "SELECT pg_backup_start($1, true)" : "SELECT pg_start_backup($1, true, false)", [name]);
    await cp(primary.dataDir, dataDir, {
      recursive: true,
      filter: (source) => {
        const entry = basename(source);
        if (SKIPPED.has(entry)) return false;
        const parent = basename(join(source, ".."));
        return !(EMPTIED.has(parent) && source.startsWith(primary.dataDir));
      },
    });
    await mkdir(join(dataDir, "pg_wal", "archive_status"), { recursive: true });
    const stopped = await client.query<{ labelfile: string }>(primary.major >= 15 ? "SELECT labelfile FROM pg_backup_stop(true)" : "SELECT labelfile FROM pg_stop_backup(false, true)");
    await writeFile(join(dataDir, "backup_label"), stopped.rows[0]?.labelfile ?? "");
    await writeFile(join(dataDir, "standby.signal"), "");
  } catch (error) {
    await client.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", [name]).catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  if (process.getuid?.() === 0) await run("chown", ["-R", "postgres:postgres", dir]);
  await run("chmod", ["700", dataDir]);

  const credentials = parseDatabaseUrl(primary.adminUrl);
  const server = await startEmbeddedPostgres({
    major: primary.major,
    dataDir,
    port,
    settings: {
      fsync: "off",
      hot_standby: "on",
      primary_slot_name: name,
      primary_conninfo: `host=${credentials.host} port=${credentials.port} user=${credentials.user} password=${credentials.password ?? ""} application_name=${name}`,
    },
  });
  const stop = async (): Promise<void> => {
    await server.stop();
    const cleanup = await connectClient(primary.adminUrl).catch(() => undefined);
    await cleanup?.query("SELECT pg_drop_replication_slot($1)", [name]).catch(() => undefined);
    await cleanup?.end();
  };
  try {
    await untilStreaming(primary.adminUrl, name);
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminUrl: server.adminUrl, name, sameDatabase: (url) => withDatabase(server.adminUrl, parseDatabaseUrl(url).database), stop };
}

const SLOT_PREFIX = "sf_standby_";

/** Inactive slots of ours whose process is gone: left by a standby whose creation was cut short. */
export async function dropAbandonedStandbySlots(client: pg.ClientBase): Promise<void> {
  const slots = await client.query<{ name: string }>("SELECT slot_name AS name FROM pg_replication_slots WHERE NOT active AND starts_with(slot_name, $1)", [SLOT_PREFIX]);
  for (const { name } of slots.rows) {
    const pid = Number(name.slice(SLOT_PREFIX.length).split("_")[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await client.query("SELECT pg_drop_replication_slot($1)", [name]).catch(() => undefined);
  }
}

async function untilStreaming(primaryUrl: string, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  const client = await connectClient(primaryUrl);
  try {
    while (Date.now() < deadline) {
      const result = await client.query("SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'", [name]);
      if (result.rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the standby ${name} did not start streaming within 30 s`);
  } finally {
    await client.end();
  }
}
