// Test helpers shared by every workspace that needs a SoleFlip database: import from "@soleflip/db/testing".
import { readFile } from "node:fs/promises";
import { readSnapshot, SOLEFLIP_SCHEMAS } from "@soleflip/catalog";
import { withClient } from "@soleflip/postgres";
import { scratchDatabase } from "@soleflip/postgres/testing";
import { expect } from "vitest";
import { dbPackagePaths } from "./paths.ts";
import { runDbPrisma } from "./prisma.ts";

export interface CatalogRow {
  kind: string;
  name: string;
  definition: string;
}


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

/** A scratch database holding the pre-fix production structure (the dump), plus optional SQL (files or text). */
export async function legacyDatabase(prefix: string, ...extraSql: Array<URL | string>): Promise<string> {
  const database = await scratchDatabase(prefix);
  const legacy = await readFile(dbPackagePaths.legacySchema, "utf8");
  const extras = await Promise.all(extraSql.map((sql) => (sql instanceof URL ? readFile(sql, "utf8") : sql)));
  await withClient(database.url, async (client) => {
    await client.query(legacy);
    await client.query("SELECT pg_catalog.set_config('search_path', 'public', false)");
    for (const extra of extras) await client.query(extra);
  });
  return database.url;
}

export interface TableFingerprint {
  table: string;
  rows: number;
  /** md5 of every primary key in order: equal before and after means no row was lost or added. */
  keys: string;
}

/** Row count and a checksum of the primary keys of every table in SoleFlip's schemas. */
export async function tableFingerprints(url: string): Promise<TableFingerprint[]> {
  return withClient(url, async (client) => {
    const tables = await client.query<{ schema: string; table: string }>(
      `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = ANY ($1::text[]) ORDER BY 1, 2`,
      [SOLEFLIP_SCHEMAS],
    );
    const result: TableFingerprint[] = [];
    for (const { schema, table } of tables.rows) {
      const row = await client.query<{ rows: string; keys: string | null }>(
        `SELECT count(*) AS rows, md5(string_agg(id::text, ',' ORDER BY id)) AS keys FROM "${schema}"."${table}"`,
      );
      result.push({ table: `${schema}.${table}`, rows: Number(row.rows[0]?.rows ?? 0), keys: row.rows[0]?.keys ?? "" });
    }
    return result;
  });
}
