import { readFile } from "node:fs/promises";
import { dbPackagePaths } from "@soleflip/db/paths";
import { legacyRows } from "@soleflip/db/testing";
import { connectClient, createScratchDatabase, withClient } from "@soleflip/postgres";
import { embeddedServerOf, runRootScript, startRootScript, startStandby, tempDir, waitForOutput } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";

/**
 * A primary with a streaming hot standby (both real servers). While the standby's replay is paused and
 * WAL keeps coming, `pnpm db:migrate` pauses before its first long step and says so; once replay resumes
 * it goes on and finishes. Then `pnpm db:verify` runs against the standby itself, read-only, and holds.
 */
describe("a streaming replica", () => {
  it("db:migrate waits while the standby lags past --max-replica-lag and resumes when it catches up; db:verify holds on the standby", async () => {
    const primary = await embeddedServerOf(18);
    const standby = await startStandby(primary);
    const database = await createScratchDatabase(primary.adminUrl, { prefix: "sf_replica" });
    await withClient(database.url, async (client) => {
      await client.query(await readFile(dbPackagePaths.legacySchema, "utf8"));
      await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
      await client.query(await readFile(legacyRows, "utf8"));
    });
    const env = { DATABASE_URL: database.url, SHADOW_DATABASE_URL: primary.adminUrl };

    // replay stops; a writer on the primary keeps WAL coming, so the standby falls further behind
    await withClient(standby.adminUrl, (client) => client.query("SELECT pg_wal_replay_pause()"));
    const writer = await connectClient(primary.adminUrl);
    await writer.query("CREATE TABLE wal_source (id bigint)");
    let writing = true;
    const writes = (async () => {
      while (writing) await writer.query("INSERT INTO wal_source SELECT generate_series(1, 2000)");
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const migrating = startRootScript("db:migrate", ["--max-replica-lag", "1"], env);
      await waitForOutput(migrating.child, `paused: standby ${standby.name} replays`, 120_000);
      // paused before a long step: no index of the fix is being built while the standby lags
      const building = await withClient(primary.adminUrl, (client) => client.query("SELECT count(*)::int AS n FROM pg_stat_progress_create_index"));
      expect(building.rows).toEqual([{ n: 0 }]);

      await withClient(standby.adminUrl, (client) => client.query("SELECT pg_wal_replay_resume()"));
      writing = false;
      await writes;
      const run = await migrating.done;
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`standby ${standby.name} caught up \\(.*\\); resuming after`));
      expect(run.stdout).toMatch(/All migrations applied\./);
    } finally {
      writing = false;
      await writes.catch(() => undefined);
      await writer.end();
      await withClient(standby.adminUrl, (client) => client.query("SELECT pg_wal_replay_resume()")).catch(() => undefined);
    }

    // the standby has replayed the migration; verify reads it there (read-only), the primary is the scratch server
    const reportDir = await tempDir("sf-replica-report");
    const verified = await runRootScript("db:verify", ["--report-dir", reportDir], { DATABASE_URL: standby.sameDatabase(database.url), SHADOW_DATABASE_URL: primary.adminUrl });
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout + verified.stderr).toMatch(/11 of 11 checks pass/);
  });
});
