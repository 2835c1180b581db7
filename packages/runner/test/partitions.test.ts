import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createScratchDatabase, type PostgresMajor } from "@soleflip/postgres";
import { embeddedServerOf } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { migrate, migrationsCopy, query } from "./helpers.ts";

/** A partitioned time series in SoleFlip's analytics schema: a range parent, three partitions (one itself partitioned by list), rows in each. */
const PARTITIONED_TABLE = `CREATE TABLE analytics.page_view (
  id bigint NOT NULL,
  viewed_at timestamptz NOT NULL,
  channel text NOT NULL,
  product_id uuid
) PARTITION BY RANGE (viewed_at);
CREATE TABLE analytics.page_view_2025 PARTITION OF analytics.page_view FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE analytics.page_view_2026 PARTITION OF analytics.page_view FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (channel);
CREATE TABLE analytics.page_view_2026_web PARTITION OF analytics.page_view_2026 FOR VALUES IN ('web');
CREATE TABLE analytics.page_view_2026_app PARTITION OF analytics.page_view_2026 DEFAULT;
INSERT INTO analytics.page_view (id, viewed_at, channel, product_id)
SELECT g, timestamptz '2025-01-01' + (g % 700) * interval '1 day', CASE WHEN g % 3 = 0 THEN 'app' ELSE 'web' END, NULL
FROM generate_series(1, 6000) AS g;
`;

const NEXT_CHANGE = `CREATE INDEX page_view_viewed_at_idx ON analytics.page_view (viewed_at);
ALTER TABLE analytics.page_view ADD CONSTRAINT page_view_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE SET NULL ON UPDATE CASCADE;
`;

const MAJORS: PostgresMajor[] = [14, 18];

describe("partitioned tables", () => {
  it.each(MAJORS.map((major) => ({ major })))("PostgreSQL $major: an index is built ON ONLY + CONCURRENTLY per partition + ATTACH, and a foreign key lands valid on every partition", async ({ major }) => {
    const server = await embeddedServerOf(major);
    const db = await createScratchDatabase(server.adminUrl, { prefix: "sf_partitions" });
    const dir = await migrationsCopy();
    await migrate(db.url, { migrationsDir: dir });
    await query(db.url, PARTITIONED_TABLE);

    const name = "29990101000000_page_view_index_and_key";
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, "migration.sql"), NEXT_CHANGE);
    const log = await migrate(db.url, { migrationsDir: dir });
    expect(log.outcome).toBe("applied");
    const steps = log.migrations.find((m) => m.name === name)?.operations.flatMap((op) => op.steps.map((step) => step.sql.join("; "))) ?? [];

    // the index: ON ONLY the parents, CONCURRENTLY on the three leaf partitions, attached, valid everywhere
    expect(steps).toContainEqual(expect.stringMatching(/^CREATE INDEX IF NOT EXISTS page_view_viewed_at_idx ON ONLY analytics\.page_view /));
    expect(steps.filter((sql) => sql.startsWith("CREATE INDEX CONCURRENTLY"))).toHaveLength(3);
    expect(steps.filter((sql) => sql.includes("ATTACH PARTITION"))).toHaveLength(4);
    const indexes = await query<{ table: string; valid: boolean }>(
      db.url,
      `SELECT c.relname AS table, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
       WHERE c.relname LIKE 'page_view%' AND pg_get_indexdef(i.indexrelid) LIKE '%(viewed_at)%' ORDER BY 1`,
    );
    expect(indexes).toEqual(["page_view", "page_view_2025", "page_view_2026", "page_view_2026_app", "page_view_2026_web"].map((table) => ({ table, valid: true })));

    // the key: before 18, NOT VALID + VALIDATE per leaf partition, then the parents adopt them
    if (major < 18) expect(steps.filter((sql) => /ADD CONSTRAINT \S+ FOREIGN KEY .* NOT VALID$/.test(sql))).toHaveLength(3);
    const keys = await query<{ table: string; validated: boolean }>(
      db.url,
      `SELECT c.relname AS table, k.convalidated AS validated FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE k.contype = 'f' AND c.relname LIKE 'page_view%' ORDER BY 1`,
    );
    expect(keys).toEqual(["page_view", "page_view_2025", "page_view_2026", "page_view_2026_app", "page_view_2026_web"].map((table) => ({ table, validated: true })));

    // a second run changes nothing
    const again = await migrate(db.url, { migrationsDir: dir });
    expect(again.outcome).toBe("up-to-date");
  });
});
