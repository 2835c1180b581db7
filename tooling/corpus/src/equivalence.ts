import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PRISMA_LOCK_FILE, prismaDiff } from "@soleflip/schema-engine";
import type { CorpusStep } from "./corpus.ts";
import { asPrisma7 } from "./prisma7.ts";

/**
 * How the database our migrations made differs from the one the project's own migrations make at the
 * same commit, as Prisma sees both: Prisma's diff from their migration folders (replayed into a shadow
 * database on our server) to our database, as SQL; "" when Prisma sees no difference. What Prisma does
 * not model (functions, triggers, hand-made indexes Prisma cannot express) is outside the comparison.
 */
export async function theirsVersusOurs(options: { step: CorpusStep; ourUrl: string; workDir: string }): Promise<string> {
  const dir = join(options.workDir, "migrations");
  await rm(options.workDir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "migration_lock.toml"), PRISMA_LOCK_FILE);
  for (const migration of options.step.theirMigrations) {
    await mkdir(join(dir, migration.name));
    await writeFile(join(dir, migration.name, "migration.sql"), migration.sql);
  }
  const schemaPath = join(options.workDir, "schema.prisma");
  const schema = asPrisma7(options.step.schema);
  await writeFile(schemaPath, schema);
  const diff = await prismaDiff({ url: options.ourUrl, datamodels: [[schemaPath, schema]], configDir: options.workDir, from: { tag: "migrations", dir }, to: { tag: "database" }, script: true });
  return diff.differs ? diff.text : "";
}
