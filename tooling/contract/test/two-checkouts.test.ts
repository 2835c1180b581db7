import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { withClient } from "@soleflip/postgres";
import { runRootScript, signalTree, startRootScript, tempDir, waitForOutput } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";

/**
 * Two checkouts of the repository on one machine: each has its own data folder (`.data/postgres` of its
 * clone, here SOLEFLIP_PG_DATA_DIR) and neither sets a port, so both want the default one. A checkout's
 * commands must use its own server only.
 */
describe("two checkouts side by side", () => {
  it("run their main jobs at the same time, each on its own embedded server; the first checkout's running server gets none of the second's databases", async () => {
    const dir = await tempDir("sf-two-checkouts");
    const first = { SOLEFLIP_PG_DATA_DIR: join(dir, "first", "postgres") };
    const second = { SOLEFLIP_PG_DATA_DIR: join(dir, "second", "postgres") };

    // The first checkout keeps its server running (`pnpm db:up`), as a developer does for `npx prisma`.
    const up = startRootScript("db:up", [], first);
    let password = "no password read";
    await waitForOutput(up.child, "running; press Ctrl-C to stop");
    try {
      const demo = (env: Record<string, string>, prefix: string) => runRootScript("demo", ["--scale", "2", "--runs", "2", "--report-dir", join(dir, prefix), "--database-prefix", prefix], env);
      const [a, b] = await Promise.all([demo(first, "sf_two_first"), demo(second, "sf_two_second")]);
      expect(a.exitCode, a.stdout + a.stderr).toBe(0);
      expect(b.exitCode, b.stdout + b.stderr).toBe(0);

      // The first checkout's demo joined its own running server; the second started one of its own.
      expect(a.stderr).toMatch(/embedded PostgreSQL 18 of .*first\/postgres already running on port \d+; reusing it/);
      const firstPort = Number(/of .*first\/postgres already running on port (\d+)/.exec(a.stderr)?.[1]);
      const secondPort = Number(/starting embedded PostgreSQL 18 on port (\d+)/.exec(b.stderr)?.[1]);
      expect(secondPort).toBeGreaterThan(0);
      expect(secondPort).not.toBe(firstPort);
      // Ports are tried upwards from the default, so the second passed the first's and said why it moved on.
      expect(b.stderr).toContain(`port ${firstPort} is held by another server`);

      // The first server holds the first checkout's demo databases and none of the second's.
      const pgpass = (await readFile(`${first.SOLEFLIP_PG_DATA_DIR}.pgpass`, "utf8")).trim().split(":");
      // No command printed the server's password, db:up included.
      password = pgpass[4] ?? password;
      for (const said of [a.stdout, a.stderr, b.stdout, b.stderr]) expect(said).not.toContain(password);
      const adminUrl = `postgresql://${pgpass[3] ?? ""}:${encodeURIComponent(pgpass[4] ?? "")}@127.0.0.1:${firstPort}/postgres`;
      const databases = await withClient(adminUrl, async (client) => (await client.query<{ name: string }>("SELECT datname AS name FROM pg_database WHERE datname LIKE 'sf_two_%' ORDER BY 1")).rows.map((row) => row.name));
      expect(databases.length).toBeGreaterThan(0);
      expect(databases.every((name) => name.startsWith("sf_two_first"))).toBe(true);
      // Each report is its own checkout's.
      expect(await readFile(join(dir, "sf_two_first", "report.md"), "utf8")).toContain("sf_two_first");
      expect(await readFile(join(dir, "sf_two_second", "report.md"), "utf8")).toContain("sf_two_second");
    } finally {
      signalTree(up.child, "SIGINT");
      const upSaid = await up.done;
      expect(upSaid.stdout).toMatch(/embedded PostgreSQL: postgresql:\/\/postgres@127\.0\.0\.1:\d+\/soleflip\n  password: in \S+\.pgpass/);
      expect(upSaid.stdout + upSaid.stderr).not.toContain(password);
    }
  });
});
