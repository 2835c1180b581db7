import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withClient } from "@soleflip/postgres";
import { runRootScript, scratchDatabase, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { userEnv } from "./support.ts";

const fixture = new URL("../fixtures/hostile/", import.meta.url);
const SHOP = '"Shop; DROP TABLE canary; --"';

/** The hand-written second migration: a declared repair, NOT NULL, a CHECK whose name holds quotes and a semicolon, a unique index on a camelCase column. */
const SECOND = `-- migrator:repair fill-left
-- migrator:why an order without a "left" count has none left
UPDATE ${SHOP}."order" SET "left" = 0 WHERE "left" IS NULL;
ALTER TABLE ${SHOP}."order" ALTER COLUMN "left" SET NOT NULL;
ALTER TABLE ${SHOP}."order" ADD CONSTRAINT "chk ""position""; --" CHECK ("position" <> '') NOT VALID;
ALTER TABLE ${SHOP}."order" VALIDATE CONSTRAINT "chk ""position""; --";
CREATE UNIQUE INDEX "uq userId time" ON ${SHOP}."order" ("userId", "time");
`;

describe("hostile names, through create, lint, pre-flight, repair, migrate, verify and the report", () => {
  it("everything works and nothing is injected", async () => {
    const root = await tempDir("sf-hostile");
    await cp(fixture, root, { recursive: true });
    const config = join(root, "prisma.config.ts");
    const db = await scratchDatabase("sf_hostile");
    await withClient(db.url, (client) => client.query("CREATE TABLE public.canary (id int); INSERT INTO public.canary VALUES (42)"));
    const env = userEnv(db.url);
    const run = async (script: string, ...args: string[]) => {
      const result = await runRootScript(script, [...args, "--config", config], env);
      expect(result.stdout + result.stderr).not.toContain("toolkit.unexpected");
      return result;
    };

    const created = await run("db:migrate:create", "--name", "init");
    expect(created.exitCode, created.stdout + created.stderr).toBe(0);
    expect(created.stdout).toContain("down.sql restores it exactly");
    // the canary table is not the project's: a database holding only it is someone else's, and refused
    const refused = await run("db:migrate");
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout).toContain("refused [migrator.target.not-empty]");
    await withClient(db.url, (client) => client.query("DROP TABLE public.canary"));
    const first = await run("db:migrate");
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);

    await withClient(db.url, (client) =>
      client.query(`
        CREATE TABLE public.canary (id int); INSERT INTO public.canary VALUES (42);
        INSERT INTO "größe"."User With Spaces" (name) VALUES ('Zoë'), ('O''Brien; DROP TABLE canary');
        INSERT INTO ${SHOP}."order" ("position", "left", "userId", "time", "a b; --", "größe", status) VALUES
          ('a', NULL, 1, '2025-01-01', 'x"; DROP TABLE canary; --', 'ß', 'on hold'),
          ('b', 3, 2, '2025-01-02', NULL, NULL, 'active'),
          ('', NULL, 2, '2025-01-03', NULL, NULL, 'active');`),
    );
    const second = join(root, "prisma", "migrations", "29990101000000_hostile_constraints");
    await mkdir(second);
    await writeFile(join(second, "migration.sql"), SECOND);
    const schema = join(root, "prisma", "schema.prisma");
    await writeFile(schema, (await readFile(schema, "utf8")).replace('left     Int?     @map("left")', 'left     Int      @map("left")').replace('  @@map("order")', '  @@unique([userId, time], map: "uq userId time")\n  @@map("order")'));

    // a row violates the CHECK: the pre-flight names it (by the table's own key) and nothing changes
    const lint = await run("db:lint");
    expect(lint.exitCode, lint.stdout).toBe(2);
    expect(lint.stdout).toContain("ban-check-with-violations");
    const stopped = await run("db:migrate");
    expect(stopped.exitCode, stopped.stdout).toBe(2);
    expect(stopped.stdout).toContain(`1 row of Shop; DROP TABLE canary; --.order violate CHECK chk "position"; --`);
    expect(stopped.stdout).toContain("sample keys: 3");

    await withClient(db.url, (client) => client.query(`UPDATE ${SHOP}."order" SET "position" = 'c' WHERE "position" = ''`));
    const applied = await run("db:migrate");
    expect(applied.exitCode, applied.stdout).toBe(0);
    expect(applied.stdout).toMatch(/repaired\s+repair:fill-left .*2 row\(s\) changed/);

    const reportDir = await tempDir("sf-hostile-report");
    const verified = await run("db:verify", "--report-dir", reportDir);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain("11 of 11 checks pass");
    const report = await readFile(join(reportDir, "report.md"), "utf8");
    expect(report).toContain("Shop; DROP TABLE canary; --.order");

    // nothing was injected: the canary is there, and the database holds exactly the project's objects
    const state = await withClient(db.url, async (client) => ({
      canary: (await client.query("SELECT id FROM public.canary")).rows,
      schemas: (await client.query("SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1")).rows.map((r) => r.nspname),
      rows: (await client.query(`SELECT "position", "left", "a b; --" AS note FROM ${SHOP}."order" ORDER BY "user"`)).rows,
    }));
    expect(state.canary).toEqual([{ id: 42 }]);
    expect(state.schemas).toEqual(["Shop; DROP TABLE canary; --", "größe", "public"]);
    expect(state.rows).toEqual([
      { position: "a", left: 0, note: 'x"; DROP TABLE canary; --' },
      { position: "b", left: 3, note: null },
      { position: "c", left: 0, note: null },
    ]);
  });
});
