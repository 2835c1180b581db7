import { hostname } from "node:os";
import { migratedDatabase } from "@soleflip/db/testing";
import { createOwnedDatabase, databaseState, sweepAbandonedScratch, withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, runRootScript, tempDir } from "@soleflip/postgres/testing";
import { quoteIdent, quoteLiteral } from "@soleflip/sql";
import { describe, expect, it } from "vitest";
import { userEnv } from "./support.ts";

const databases = (prefix: string) =>
  withClient(adminDatabaseUrl(), async (client) => (await client.query<{ name: string }>("SELECT datname AS name FROM pg_database WHERE datname LIKE $1 ORDER BY 1", [`${prefix}%`])).rows.map((r) => r.name));

describe("nothing touched that is not ours, nothing left behind", () => {
  it("the sweep drops scratch databases a killed run marked as its own, and no others", async () => {
    const admin = adminDatabaseUrl();
    const mark = (pid: number, purpose: string) => quoteLiteral(`soleflip-toolkit ${JSON.stringify({ purpose, createdAt: new Date().toISOString(), host: hostname(), pid })}`);
    await withClient(admin, async (client) => {
      // a scratch database of a process that no longer exists, one of a live process, one unmarked, one marked demo
      for (const name of ["sf_own_dead", "sf_own_alive", "sf_own_unmarked", "sf_own_demo"]) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      await client.query(`COMMENT ON DATABASE sf_own_dead IS ${mark(2 ** 22 + 12_345, "scratch")}`);
      await client.query(`COMMENT ON DATABASE sf_own_alive IS ${mark(process.pid === 1 ? 2 : 1, "scratch")}`);
      await client.query(`COMMENT ON DATABASE sf_own_demo IS ${mark(2 ** 22 + 12_345, "demo")}`);
    });
    const swept = await sweepAbandonedScratch(admin);
    expect(swept).toContain("sf_own_dead");
    expect(await databases("sf_own_")).toEqual(["sf_own_alive", "sf_own_demo", "sf_own_unmarked"]);
    await withClient(admin, async (client) => {
      for (const name of ["sf_own_alive", "sf_own_demo", "sf_own_unmarked"]) await client.query(`DROP DATABASE ${quoteIdent(name)}`);
    });
  });

  it("a database with a scratch name that is not marked is never dropped", async () => {
    await withClient(adminDatabaseUrl(), (client) => client.query("CREATE DATABASE sf_scratch_not_ours"));
    expect(await withClient(adminDatabaseUrl(), (client) => databaseState(client, "sf_scratch_not_ours"))).toEqual({ state: "foreign" });
    await sweepAbandonedScratch(adminDatabaseUrl());
    expect(await databases("sf_scratch_not_ours")).toEqual(["sf_scratch_not_ours"]);
    await withClient(adminDatabaseUrl(), (client) => client.query("DROP DATABASE sf_scratch_not_ours"));
    await createOwnedDatabase(adminDatabaseUrl(), "sf_scratch_ours_check", "scratch");
    expect(await withClient(adminDatabaseUrl(), (client) => databaseState(client, "sf_scratch_ours_check"))).toMatchObject({ state: "owned", ownership: { purpose: "scratch", pid: process.pid } });
    await withClient(adminDatabaseUrl(), (client) => client.query("DROP DATABASE sf_scratch_ours_check"));
  });

  it("db:verify works with a role that may only CONNECT, USE the schemas and SELECT, and leaves no scratch database anywhere", async () => {
    const url = await migratedDatabase("sf_own_readonly");
    const database = new URL(url).pathname.slice(1);
    await withClient(adminDatabaseUrl(), (client) => client.query(`DROP ROLE IF EXISTS sf_reader; CREATE ROLE sf_reader LOGIN PASSWORD 'reader'; GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO sf_reader`));
    await withClient(url, (client) =>
      client.query(`
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        DO $$ DECLARE s text; BEGIN
          FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO sf_reader', s);
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO sf_reader', s);
          END LOOP;
        END $$;`),
    );
    const reader = new URL(url);
    reader.username = "sf_reader";
    reader.password = "reader";
    const before = await databases("sf_verifier_expected");
    const run = await runRootScript("db:verify", ["--report-dir", await tempDir("sf-own-report")], userEnv(reader.toString()));
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("11 of 11 checks pass");
    expect(await databases("sf_verifier_expected")).toEqual(before);
    expect(await databases("prisma_migrate_shadow_db")).toEqual([]);
  });
});
