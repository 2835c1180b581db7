import { readFile } from "node:fs/promises";
import { readSnapshot } from "@soleflip/catalog";
import { withClient } from "@soleflip/postgres";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { expect } from "vitest";
import { dbPackagePaths } from "../src/paths.ts";
import { runDbPrisma } from "../src/prisma.ts";

export interface CatalogRow {
  kind: string;
  name: string;
  definition: string;
}

const SOLEFLIP_SCHEMAS = ["analytics", "catalog", "inventory", "platform", "sales", "supplier"];

export async function catalogSnapshot(url: string): Promise<CatalogRow[]> {
  return withClient(url, (client) => readSnapshot(client, SOLEFLIP_SCHEMAS));
}

/** A scratch database migrated to head with `prisma migrate deploy` (offline engine). */
export async function migratedDatabase(prefix: string): Promise<string> {
  const database = await scratchDatabase(prefix);
  const run = await runDbPrisma(["migrate", "deploy"], database.url);
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  return database.url;
}

/** A scratch database holding the pre-fix production structure (the dump), plus optional SQL. */
export async function legacyDatabase(prefix: string, ...extraSqlFiles: URL[]): Promise<string> {
  const database = await scratchDatabase(prefix);
  const legacy = await readFile(dbPackagePaths.legacySchema, "utf8");
  const extras = await Promise.all(extraSqlFiles.map((file) => readFile(file, "utf8")));
  await withClient(database.url, async (client) => {
    await client.query(legacy);
    await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
    for (const extra of extras) await client.query(extra);
  });
  return database.url;
}
