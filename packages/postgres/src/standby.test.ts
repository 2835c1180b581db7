import { describe, expect, it } from "vitest";
import { withClient } from "./connect.ts";
import { embeddedServerOf, startStandby } from "./testing/index.ts";
import type { PostgresMajor } from "./binaries.ts";

const MAJORS: PostgresMajor[] = [14, 18];

describe("startStandby (test harness)", () => {
  it.each(MAJORS.map((major) => ({ major })))("PostgreSQL $major: a hot standby streams what the primary writes and refuses writes itself", async ({ major }) => {
    const primary = await embeddedServerOf(major);
    await withClient(primary.adminUrl, (client) => client.query("CREATE TABLE before_backup (id int); INSERT INTO before_backup VALUES (1)"));
    const standby = await startStandby(primary);
    await withClient(primary.adminUrl, (client) => client.query("CREATE TABLE after_backup (id int); INSERT INTO after_backup SELECT generate_series(1, 1000)"));
    // the insert position: with synchronous_commit off, the write position lags until the WAL writer runs
    const lsn = await withClient(primary.adminUrl, async (client) => (await client.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]?.lsn);
    await withClient(standby.adminUrl, async (client) => {
      for (let i = 0; i < 100; i++) {
        const caughtUp = await client.query<{ ok: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok", [lsn]);
        if (caughtUp.rows[0]?.ok) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await client.query("SELECT count(*)::int AS n FROM after_backup")).rows).toEqual([{ n: 1000 }]);
      expect((await client.query("SELECT count(*)::int AS n FROM before_backup")).rows).toEqual([{ n: 1 }]);
      await expect(client.query("CREATE TABLE nope (id int)")).rejects.toThrow(/read-only transaction/);
    });
  });

  it("drops the slot a cut-short standby of ours left (its process gone), and no other slot", async () => {
    const primary = await embeddedServerOf(18);
    // a process id that is surely gone: a child that has exited
    const { pid: gone } = await import("node:child_process").then(({ spawnSync }) => spawnSync(process.execPath, ["-e", ""]));
    const leftover = `sf_standby_${gone}_left`;
    const live = `sf_standby_${process.pid}_live`;
    const foreign = "someone_elses_slot";
    await withClient(primary.adminUrl, async (client) => {
      for (const name of [leftover, live, foreign]) await client.query("SELECT pg_create_physical_replication_slot($1)", [name]);
    });
    const standby = await startStandby(primary);
    const slots = await withClient(primary.adminUrl, async (client) => (await client.query<{ name: string }>("SELECT slot_name AS name FROM pg_replication_slots ORDER BY 1")).rows.map((r) => r.name));
    expect(slots).not.toContain(leftover);
    expect(slots).toContain(live);
    expect(slots).toContain(foreign);
    await withClient(primary.adminUrl, async (client) => {
      for (const name of [live, foreign]) await client.query("SELECT pg_drop_replication_slot($1)", [name]);
    });
    expect(standby.name).toMatch(new RegExp(`^sf_standby_${process.pid}_`));
  });
});
