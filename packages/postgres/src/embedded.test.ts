import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withClient } from "./connect.ts";
import { chmod, mkdir } from "node:fs/promises";
import { assertReachableByPostgresUser, startEmbeddedPostgres } from "./embedded.ts";
import { freePort, tempDir } from "./testing/index.ts";

describe("startEmbeddedPostgres", () => {
  it("initialises once, reuses the data across restarts, and a second starter joins instead of failing", async () => {
    const dir = await tempDir("sf-embedded");
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), port, settings: { fsync: "off" } });
    expect(first.owned).toBe(true);
    await withClient(first.adminUrl, (client) => client.query("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)"));

    const second = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), port });
    expect(second.owned).toBe(false);
    await second.stop();
    // the joiner's stop leaves the owner's server running
    const version = await withClient(first.adminUrl, (client) => client.query<{ v: string }>("SELECT current_setting('server_version') AS v"));
    expect(version.rows[0]?.v).toMatch(/^18\./);

    await first.stop();
    await expect(withClient(first.adminUrl, (client) => client.query("SELECT 1"))).rejects.toMatchObject({
      code: "postgres.unreachable",
    });

    const restarted = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), port });
    expect(restarted.owned).toBe(true);
    const kept = await withClient(restarted.adminUrl, (client) => client.query<{ id: number }>("SELECT id FROM kept"));
    expect(kept.rows).toEqual([{ id: 42 }]);
    await restarted.stop();
  });
});

describe("assertReachableByPostgresUser", () => {
  it("names a parent folder the postgres user cannot enter, and accepts a reachable one", async () => {
    const dir = await tempDir("sf-reach");
    await mkdir(join(dir, "private", "repo"), { recursive: true });
    await chmod(join(dir, "private"), 0o700);
    expect(() => assertReachableByPostgresUser(join(dir, "private", "repo", ".data", "postgres"))).toThrow(
      expect.objectContaining({ code: "postgres.data-dir-unreachable", summary: expect.stringContaining(`${join(dir, "private")} (mode 700)`) }),
    );
    expect(() => assertReachableByPostgresUser(join(dir, "open", ".data", "postgres"))).not.toThrow();
  });
});

describe("the embedded server is identified, not assumed", () => {
  it("a server of another data directory on the port is never joined: the default port moves to a free one and says so; an asked-for port stops with the holder named", async () => {
    const dir = await tempDir("sf-embedded-two");
    const port = await freePort();
    const theirs = await startEmbeddedPostgres({ dataDir: join(dir, "theirs"), port, settings: { fsync: "off" } });
    await withClient(theirs.adminUrl, (client) => client.query("CREATE DATABASE theirs_only"));
    const said: string[] = [];
    const ours = await startEmbeddedPostgres({ dataDir: join(dir, "ours"), port, settings: { fsync: "off" }, onProgress: (line) => said.push(line) });
    try {
      expect(ours.owned).toBe(true);
      expect(ours.port).not.toBe(port);
      expect(said.join("\n")).toMatch(new RegExp(`port ${port} is held by another server \\((it refuses this data directory's credentials|data directory .*theirs)\\), not this data directory's; trying ${port + 1}`));
      // Each data directory has its own random password: neither accepts the other's.
      expect(new URL(ours.adminUrl).password).not.toBe(new URL(theirs.adminUrl).password);
      const databases = await withClient(ours.adminUrl, async (client) => (await client.query<{ datname: string }>("SELECT datname FROM pg_database")).rows.map((row) => row.datname));
      expect(databases).not.toContain("theirs_only");
      // Joining finds this data directory's server wherever it moved (its postmaster.pid), never the other one.
      const again = await startEmbeddedPostgres({ dataDir: join(dir, "ours"), port });
      expect([again.owned, again.port]).toEqual([false, ours.port]);
      await expect(startEmbeddedPostgres({ dataDir: join(dir, "third"), port, portFixed: true })).rejects.toMatchObject({
        code: "postgres.embedded-port-taken",
        summary: expect.stringContaining(`Port ${port} (SOLEFLIP_PG_PORT) is held by another server`),
      });
    } finally {
      await ours.stop();
      await theirs.stop();
    }
  });
});
