// Test helpers shared by every workspace that needs a SoleFlip database: import from "@soleflip/db/testing".
import { readFile } from "node:fs/promises";
import { listModelSchemas, readLiveSchema, readSnapshot } from "@soleflip/catalog";
import { withClient } from "@soleflip/postgres";
import { quoteIdent, quoteQualified } from "@soleflip/sql";
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
  return withClient(url, async (client) => readSnapshot(client, await listModelSchemas(client)));
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

/** Row count and a checksum of the primary keys of every table of the model's schemas. */
export async function tableFingerprints(url: string): Promise<TableFingerprint[]> {
  return withClient(url, async (client) => {
    const live = await readLiveSchema(client, await listModelSchemas(client));
    const result: TableFingerprint[] = [];
    for (const { schema, table } of live.tables) {
      const keys = live.constraints.find((c) => c.schema === schema && c.table === table && c.kind === "p")?.columns ?? [];
      const key = keys.length > 0 ? keys.map((column) => `${quoteIdent(column)}::text`).join(" || ',' || ") : "ctid::text";
      const row = await client.query<{ rows: string; keys: string | null }>(`SELECT count(*) AS rows, md5(string_agg(${key}, ';' ORDER BY ${key})) AS keys FROM ${quoteQualified(schema, table)}`);
      result.push({ table: `${schema}.${table}`, rows: Number(row.rows[0]?.rows ?? 0), keys: row.rows[0]?.keys ?? "" });
    }
    return result;
  });
}
