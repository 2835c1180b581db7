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
