import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withClient } from "@soleflip/postgres";
import { scratchDatabase, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { carryOverJournal, journalInsert, journalProgress, journaledSteps } from "../src/journal.ts";
import { readLocalMigrations } from "../src/local-migrations.ts";
import { ensureHistoryTable, readHistory, recordFailed, recordStarted } from "../src/prisma-migrations-table.ts";

describe("readLocalMigrations", () => {
  it("reads Prisma's layout in order, with Prisma's checksum and the optional down.sql", async () => {
    const dir = await tempDir("sf-history");
    await mkdir(join(dir, "20250102000000_second"));
    await mkdir(join(dir, "20250101000000_first"));
    await writeFile(join(dir, "20250101000000_first", "migration.sql"), "CREATE TABLE a (id int);\n");
    await writeFile(join(dir, "20250102000000_second", "migration.sql"), "-- migrator:repair x\n-- migrator:why y\nUPDATE a SET id = 1;\n");
    await writeFile(join(dir, "20250102000000_second", "down.sql"), "SELECT 1;\n");
    await writeFile(join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
    const migrations = await readLocalMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(["20250101000000_first", "20250102000000_second"]);
    expect(migrations[0]?.checksum).toBe(createHash("sha256").update("CREATE TABLE a (id int);\n").digest("hex"));
    expect(migrations[1]?.statements[0]?.comments).toEqual(["migrator:repair x", "migrator:why y"]);
    expect(migrations[1]?.downSql).toBe("SELECT 1;\n");
    expect(migrations[0]?.downSql).toBeUndefined();
  });

  it("names a missing folder, a folder without migration.sql, and a syntax error with file and line", async () => {
    await expect(readLocalMigrations("/nonexistent/migrations")).rejects.toMatchObject({ code: "history.migrations-missing" });
    const dir = await tempDir("sf-history-bad");
    await mkdir(join(dir, "20250101000000_empty"));
    await expect(readLocalMigrations(dir)).rejects.toMatchObject({ code: "history.migrations-invalid", summary: expect.stringContaining("20250101000000_empty: no migration.sql") });
    await writeFile(join(dir, "20250101000000_empty", "migration.sql"), "SELECT 1;\nCREATE TABEL x (id int);\n");
    await expect(readLocalMigrations(dir)).rejects.toMatchObject({ code: "sql.syntax-error", summary: expect.stringContaining("20250101000000_empty/migration.sql: syntax error at or near \"TABEL\" at line 2") });
  });
});

describe("the journal in _prisma_migrations", () => {
  it("records committed steps and batch progress with the step's own transaction, and carries them to the attempt that resumes", async () => {
    const db = await scratchDatabase("sf_history_journal");
    await withClient(db.url, async (client) => {
      await ensureHistoryTable(client);
      const first = await recordStarted(client, "20250101000000_first", "abc");
      const committed = journalInsert(first, "raw:0");
      await client.query("BEGIN");
      await client.query(committed.text, committed.values);
      await client.query("COMMIT");
      // a step whose transaction rolls back leaves no record
      const lost = journalInsert(first, "raw:1000");
      await client.query("BEGIN");
      await client.query(lost.text, lost.values);
      await client.query("ROLLBACK");
      const progress = journalProgress(first, "repair:fill", "00000000-0000-0000-0000-000000000042");
      await client.query(progress.text, progress.values);
      await recordFailed(client, first, "step failed: boom\n");
      const [attempt] = await readHistory(client);
      const journal = await journaledSteps(client, attempt);
      expect([...journal.committed]).toEqual(["raw:0"]);
      expect([...journal.progress]).toEqual([["repair:fill", "00000000-0000-0000-0000-000000000042"]]);
      const second = await recordStarted(client, "20250101000000_first", "abc");
      await carryOverJournal(client, second, journal);
      const rows = await readHistory(client);
      expect(await journaledSteps(client, rows.find((row) => row.id === second))).toEqual(journal);
      expect(rows.find((row) => row.id === first)?.logs).toContain("step failed: boom");
    });
  });
});
