// Test helpers shared by every workspace that needs a SoleFlip database: import from "@soleflip/db/testing".
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrismaProject } from "@soleflip/project";
import { listModelSchemas, readLiveSchema, readSnapshot } from "@soleflip/catalog";
import { withClient } from "@soleflip/postgres";
import { quoteIdent, quoteQualified } from "@soleflip/sql";
import { afterFile, scratchDatabase } from "@soleflip/postgres/testing";
import { expect } from "vitest";
import { PLAIN_PRISMA_CONFIG, dbPackagePaths, soleflipProject } from "./paths.ts";
import { runDbPrisma } from "./prisma.ts";

/** A few rows in every table of the pre-fix structure, with the defects the fix repairs (a NULL platform_id, …). */
export const legacyRows = new URL("../fixtures/legacy-rows.sql", import.meta.url);
/** The 2025 fix applied by hand, correctly. */
export const fixByHand = new URL("../fixtures/fix-by-hand.sql", import.meta.url);

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

/**
 * A prisma.config.ts for a copied project in a temporary folder, where no `prisma` package can be
 * imported from: the plain object defineConfig would return (the repository's own imports workspace packages).
 */
export { PLAIN_PRISMA_CONFIG };

/** A copy of SoleFlip's project (prisma/ and a plain prisma.config.ts) in a temporary folder, to edit; removed after the file's tests. */
export async function projectCopy(prefix = "sf-project-"): Promise<PrismaProject> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  afterFile(() => rm(root, { recursive: true, force: true }));
  await cp(join(soleflipProject.root, "prisma"), join(root, "prisma"), { recursive: true });
  await writeFile(join(root, "prisma.config.ts"), PLAIN_PRISMA_CONFIG);
  return {
    root,
    configPath: join(root, "prisma.config.ts"),
    schemaPath: join(root, "prisma", "schema.prisma"),
    migrationsDir: join(root, "prisma", "migrations"),
    queriesDir: join(root, "prisma", "queries"),
    seedPath: join(root, "prisma", "demo", "seed.sql"),
  };
}
