import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { projectCopy } from "@soleflip/db/testing";
import { createScratchDatabase, type PostgresMajor } from "@soleflip/postgres";
import { embeddedServerOf, runRootScript, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";

const fixture = (name: string) => readFile(new URL(`../fixtures/partitions/${name}`, import.meta.url), "utf8");

/**
 * A partitioned time series in SoleFlip's analytics schema, as a Prisma user has it: a raw migration
 * creates the partitioned table, its partitions, an index and a relation; the models are what `prisma db
 * pull` writes for it (the partitioned tables, `@@ignore`d, not the leaf partitions). Migrated and verified
 * from the repository root on the oldest and newest majors.
 */
describe("a partitioned table in a Prisma project", () => {
  it.each([14, 18].map((major) => ({ major: major as PostgresMajor })))("PostgreSQL $major: db:migrate then db:verify hold", async ({ major }) => {
    const project = await projectCopy("sf-partitioned-");
    const config = join(project.root, "prisma.config.ts");
    await mkdir(join(project.migrationsDir, "29990101000000_page_view"));
    await writeFile(join(project.migrationsDir, "29990101000000_page_view", "migration.sql"), await fixture("migration.sql"));
    const schema = await readFile(project.schemaPath, "utf8");
    const productField = '  lastEnrichedAt        DateTime?        @map("last_enriched_at") @db.Timestamptz(6)\n';
    expect(schema).toContain(productField);
    await writeFile(project.schemaPath, schema.replace(productField, `${productField}  page_view             page_view[]      @ignore\n  page_view_2026        page_view_2026[] @ignore\n`));
    await appendFile(project.schemaPath, `\n${await fixture("models.prisma")}`);

    const server = await embeddedServerOf(major);
    const database = await createScratchDatabase(server.adminUrl, { prefix: "sf_partitioned" });
    const env = { DATABASE_URL: database.url, SHADOW_DATABASE_URL: server.adminUrl };
    const migrated = await runRootScript("db:migrate", ["--config", config], env);
    expect(migrated.exitCode, migrated.stdout + migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/All migrations applied\./);

    const reportDir = await tempDir("sf-partitioned-report");
    const verified = await runRootScript("db:verify", ["--config", config, "--report-dir", reportDir, "--no-performance"], env);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout + verified.stderr).toMatch(/11 of 11 checks pass/);
  });
});
