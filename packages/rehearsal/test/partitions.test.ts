import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScratchDatabase, withClient, type PostgresMajor } from "@soleflip/postgres";
import { afterFile, embeddedServerOf } from "@soleflip/postgres/testing";
import { runMigrations } from "@soleflip/runner";
import { describe, expect, it } from "vitest";
import { DEFAULT_REHEARSAL_CONFIG, observeMigrations } from "../src/index.ts";

const PARTITIONS = ["page_view", "page_view_2025", "page_view_2026", "page_view_2026_app", "page_view_2026_web"];

/** A referenced table and a partitioned time series: a range parent, two partitions (one itself partitioned by list), rows in every leaf. */
const INIT = `CREATE TABLE public.product (id integer PRIMARY KEY);
INSERT INTO public.product SELECT g FROM generate_series(1, 100) AS g;
CREATE TABLE public.page_view (
  id bigint NOT NULL,
  viewed_at timestamptz NOT NULL,
  channel text NOT NULL,
  product_id integer
) PARTITION BY RANGE (viewed_at);
CREATE TABLE public.page_view_2025 PARTITION OF public.page_view FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.page_view_2026 PARTITION OF public.page_view FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (channel);
CREATE TABLE public.page_view_2026_web PARTITION OF public.page_view_2026 FOR VALUES IN ('web');
CREATE TABLE public.page_view_2026_app PARTITION OF public.page_view_2026 DEFAULT;
INSERT INTO public.page_view
SELECT g, timestamptz '2025-01-01' + (g % 700) * interval '1 day', CASE WHEN g % 3 = 0 THEN 'app' ELSE 'web' END, 1 + g % 100
FROM generate_series(1, 60000) AS g;
`;

/** The next change, as Prisma writes it for a new @@index and a new relation. */
const CHANGE = `CREATE INDEX page_view_viewed_at_idx ON public.page_view (viewed_at);
ALTER TABLE public.page_view ADD CONSTRAINT page_view_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.product (id) ON DELETE SET NULL ON UPDATE CASCADE;
`;

const MAJORS: PostgresMajor[] = [14, 18];

/** Every index and constraint of the page_view tables: name, table, definition, validity. */
async function structure(url: string): Promise<unknown> {
  return withClient(url, async (client) => ({
    indexes: (await client.query(
      `SELECT c.relname AS table, x.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid WHERE c.relname LIKE 'page_view%' ORDER BY 1, 2`,
    )).rows,
    constraints: (await client.query(
      `SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS definition, k.convalidated AS validated
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relname LIKE 'page_view%' ORDER BY 1, 2`,
    )).rows,
  }));
}

describe("partitioned tables, observed under write load", () => {
  it.each(MAJORS.map((major) => ({ major })))(
    "PostgreSQL $major: the index is built ON ONLY + CONCURRENTLY per partition + ATTACH, the foreign key lands validated on every partition, and every lock was predicted",
    async ({ major }) => {
      const server = await embeddedServerOf(major);
      const db = await createScratchDatabase(server.adminUrl, { prefix: "sf_partitions" });
      const dir = await mkdtemp(join(tmpdir(), "sf-partitions-"));
      afterFile(() => rm(dir, { recursive: true, force: true }));
      await mkdir(join(dir, "20250101000000_init"));
      await writeFile(join(dir, "20250101000000_init", "migration.sql"), INIT);
      expect((await runMigrations({ databaseUrl: db.url, migrationsDir: dir, lockWaitMs: 5_000 })).outcome).toBe("applied");
      await mkdir(join(dir, "20250102000000_change"));
      await writeFile(join(dir, "20250102000000_change", "migration.sql"), CHANGE);

      const run = await observeMigrations({ databaseUrl: db.url, migrationsDir: dir, lockWaitMs: 5_000, config: DEFAULT_REHEARSAL_CONFIG, load: true });
      expect(run.log.outcome).toBe("applied");
      expect(run.findings.filter((finding) => finding.code === "rehearsal.unpredicted-lock")).toEqual([]);
      const sql = run.observation.steps.flatMap((step) => step.sql);
      expect(sql).toContainEqual(expect.stringMatching(/^CREATE INDEX IF NOT EXISTS page_view_viewed_at_idx ON ONLY public\.page_view /));
      expect(sql.filter((statement) => statement.startsWith("CREATE INDEX CONCURRENTLY"))).toHaveLength(3);
      expect(sql.filter((statement) => statement.includes("ATTACH PARTITION"))).toHaveLength(4);
      // before 18 a partitioned table takes no NOT VALID key: one per leaf partition, then the parents adopt them
      expect(sql.filter((statement) => /FOREIGN KEY .* NOT VALID$/.test(statement))).toHaveLength(major < 18 ? 3 : 1);

      // the same structure, names included, as plain SQL would have made (what Prisma and the verifier expect)
      const reference = await createScratchDatabase(server.adminUrl, { prefix: "sf_partitions_plain" });
      await withClient(reference.url, async (client) => {
        await client.query(INIT);
        await client.query(CHANGE);
      });
      expect(await structure(db.url)).toEqual(await structure(reference.url));

      const state = await withClient(db.url, async (client) => ({
        indexes: (await client.query<{ table: string; valid: boolean }>(
          `SELECT c.relname AS table, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
           WHERE c.relname LIKE 'page_view%' AND pg_get_indexdef(i.indexrelid) LIKE '%(viewed_at)%' ORDER BY 1`,
        )).rows,
        keys: (await client.query<{ table: string; validated: boolean }>(
          `SELECT c.relname AS table, k.convalidated AS validated FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
           WHERE k.contype = 'f' AND c.relname LIKE 'page_view%' ORDER BY 1`,
        )).rows,
      }));
      expect(state.indexes).toEqual(PARTITIONS.map((table) => ({ table, valid: true })));
      expect(state.keys).toEqual(PARTITIONS.map((table) => ({ table, validated: true })));

      const again = await runMigrations({ databaseUrl: db.url, migrationsDir: dir, lockWaitMs: 5_000 });
      expect(again.outcome).toBe("up-to-date");
    },
  );
});
