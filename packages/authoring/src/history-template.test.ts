import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLocalMigrations } from "@soleflip/history";
import { dropOwnedDatabase, withClient } from "@soleflip/postgres";
import { adminDatabaseUrl } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { historyTemplate } from "./history-template.ts";

describe("the history template", () => {
  it("creates building the same history at once all get the one template (none fails)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sf-history-race-"));
    try {
      // a history no other test has: its own template name
      await mkdir(join(dir, "20260101000000_init"));
      await writeFile(join(dir, "20260101000000_init", "migration.sql"), `CREATE TABLE "Race_${Date.now()}" (id int PRIMARY KEY);\n`);
      const migrations = await readLocalMigrations(dir);
      // Three at once: PostgreSQL reports the lost race as duplicate_database or as a unique violation, by timing.
      const [a, ...others] = await Promise.all([1, 2, 3].map(() => historyTemplate(adminDatabaseUrl(), dir, migrations)));
      if (!a) throw new Error("no result");
      expect(others.map((other) => other.name)).toEqual([a.name, a.name]);
      const left = await withClient(adminDatabaseUrl(), async (client) => (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${a.name}%`])).rows.map((r) => r.datname));
      // the one that lost the race dropped what it built
      expect(left).toEqual([a.name]);
      await dropOwnedDatabase(adminDatabaseUrl(), a.name);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
