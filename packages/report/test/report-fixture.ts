import type { Measurement } from "@soleflip/verification";
import type { Report } from "../src/model.ts";
import type { StateSummary } from "../src/state.ts";

const measurement = (queryId: string, median: number, nodeTypes: string[], indexesUsed: string[], unusedIndexes: string[]): Measurement => ({
  queryId,
  runsMs: [median * 0.9, median, median * 1.1],
  medianMs: median,
  minMs: median * 0.9,
  maxMs: median * 1.1,
  p25Ms: median * 0.95,
  p75Ms: median * 1.05,
  planningMedianMs: 0.05,
  nodeTypes,
  indexesUsed,
  rows: 510,
  sharedHitBlocks: 12,
  sharedReadBlocks: 0,
  unusedIndexes,
  method: "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), 3 runs after 1 warm-up run(s); server-side Execution Time",
});

const state = (fixed: boolean): StateSummary => ({
  schemas: ["analytics", "catalog", "inventory", "platform", "sales", "supplier"],
  tables: 24,
  foreignKeys: [
    { name: "order_inventory_item_id_fkey", table: "sales.order", columns: ["inventory_item_id"], references: "inventory.stock(id)", onDelete: fixed ? "RESTRICT" : "NO ACTION", onUpdate: fixed ? "CASCADE" : "NO ACTION", validated: true },
    { name: "stock_size_id_fkey", table: "inventory.stock", columns: ["size_id"], references: "catalog.sizes(id)", onDelete: fixed ? "RESTRICT" : "NO ACTION", onUpdate: fixed ? "CASCADE" : "NO ACTION", validated: fixed },
    { name: "brand_history_related_brand_id_fkey", table: "catalog.brand_history", columns: ["related_brand_id"], references: "catalog.brand(id)", onDelete: "SET NULL", onUpdate: "NO ACTION", validated: true },
  ],
  columns: [
    { column: "sales.order.platform_id", nullable: !fixed },
    { column: "sales.order.stockx_order_number", nullable: fixed },
  ],
  indexes: fixed ? [{ name: "catalog.idx_product_description_null", table: "catalog.product", valid: true, definition: "CREATE INDEX idx_product_description_null ON catalog.product USING btree (id) WHERE (description IS NULL)" }] : [],
  checkConstraints: [{ table: "analytics.marketplace_data", name: "chk_fees_range", definition: "CHECK (((fees_percentage >= (0)::numeric) AND (fees_percentage <= (1)::numeric)))", validated: true }],
  rowCounts: { "catalog.product": 763 },
  totalBytes: 2_097_152,
});

/** A fixed report, so renderer output can be snapshot-tested. */
/** An observed rehearsal of two steps: a foreign key added NOT VALID (brief), and a rewrite that blocked writes. */
export function fixtureRehearsal(): NonNullable<Report["rehearsal"]> {
  const base = { migration: "20251117000100_fix_foreign_keys_and_nullability", hazards: [], waited: [], rows: undefined, status: "applied" as const, mismatches: [] };
  return {
    label: "100× the real size, 2 writers per touched table",
    budgetMs: 150,
    summary: {
      steps: [
        {
          ...base, index: 0, operationId: "ensure-foreign-key:inventory.stock.stock_size_id_fkey", description: "add stock_size_id_fkey NOT VALID (checks new rows only)",
          sql: ["ALTER TABLE inventory.stock ADD CONSTRAINT stock_size_id_fkey FOREIGN KEY (size_id) REFERENCES catalog.sizes (id) NOT VALID"],
          predicted: { lock: "SHARE ROW EXCLUSIVE", tables: ["inventory.stock", "catalog.sizes"] },
          locks: [{ relation: "catalog.sizes", mode: "SHARE ROW EXCLUSIVE", fromMs: 1.2, toMs: 2.0 }, { relation: "inventory.stock", mode: "SHARE ROW EXCLUSIVE", fromMs: 1.2, toMs: 2.0 }],
          writesBlocked: { count: 0, longestMs: 0, tables: [] }, rewrites: [], walBytes: 1_240, sizeDeltaBytes: 0, startMs: 1.1, durationMs: 0.9,
        },
        {
          ...base, index: 1, operationId: "alter-column-type:sales.order.amount", description: "amount: integer → bigint (rewrites the table)", hazards: ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "REWRITES_TABLE"],
          sql: ["ALTER TABLE sales.\"order\" ALTER COLUMN amount TYPE bigint"],
          predicted: { lock: "ACCESS EXCLUSIVE", tables: ["sales.order"] },
          locks: [{ relation: "sales.order", mode: "ACCESS EXCLUSIVE", fromMs: 10, toMs: 232.4 }],
          writesBlocked: { count: 41, longestMs: 219.8, tables: ["sales.order"] }, rewrites: ["sales.order"], walBytes: 14_680_064, sizeDeltaBytes: 2_457_600, startMs: 10, durationMs: 222.4,
        },
      ],
      writeWaits: [{ table: "sales.order", fromMs: 11.5, toMs: 232.6 }],
      load: { enabled: true, writes: 1_804, failedWrites: 0, blockedWrites: 41, typicalMs: 0.4 },
      sampler: { reads: 312 },
    },
    findings: [{
      code: "rehearsal.write-block-over-budget", migration: "20251117000100_fix_foreign_keys_and_nullability", step: "alter-column-type:sales.order.amount: amount: integer → bigint (rewrites the table)",
      message: "a write to sales.order waited 219.8 ms behind this step (budget 150 ms; 41 write(s) blocked)", fix: "Use the online form …",
    }],
  };
}

export function fixtureReport(overrides: Partial<Report> = {}): Report {
  return {
    tool: "soleflip-schema-report",
    version: 2,
    project: "soleflip",
    generatedAt: "2025-11-17T06:30:00.000Z",
    database: "postgresql://postgres:***@127.0.0.1:54329/soleflip_demo",
    postgresVersion: "18.4",
    status: "pass",
    verification: {
      status: "pass",
      schemas: ["analytics", "catalog", "inventory", "platform", "sales", "supplier"],
      queriesIssued: 12,
      expectedObjects: { prerequisites: [], prismaDdlStatements: 120, rawObjects: ["CREATE INDEX idx_product_description_null ON catalog.product (id) WHERE description IS NULL"] },
      checks: [
        { id: "foreign-keys-match", title: "Foreign keys (columns, target, ON DELETE / ON UPDATE, validated)", status: "pass", summary: "All 37 foreign keys match the model.", findings: [], sql: ["-- foreign-keys.sql\nSELECT con.conname FROM pg_constraint con WHERE con.contype = 'f'"], compared: 37, durationMs: 1.2 },
        { id: "indexes-match", title: "Indexes (columns, predicate, uniqueness, validity)", status: "pass", summary: "All 32 indexes match the model.", findings: [], sql: ["-- indexes.sql\nSELECT indexrelid::regclass FROM pg_index"], compared: 32, durationMs: 3.4 },
      ],
    },
    applyLog: {
      tool: "soleflip-migrator", version: 1, database: "postgresql://postgres:***@127.0.0.1:54329/soleflip_demo",
      startedAt: "2025-11-17T06:29:59.000Z", finishedAt: "2025-11-17T06:30:00.000Z", durationMs: 433, dryRun: false, outcome: "applied",
      adoptedBaseline: "20251117000000_baseline", preflight: [], structuralDifferences: [], invalidIndexesRebuilt: [], settings: { lockTimeoutMs: 100, maxRetries: 12 },
      migrations: [{
        name: "20251117000100_fix_foreign_keys_and_nullability", checksum: "abc", status: "applied", durationMs: 90,
        operations: [
          { operationId: "ensure-foreign-key:inventory.stock.stock_size_id_fkey", kind: "ensure-foreign-key", subject: { schema: "inventory", table: "stock", name: "stock_size_id_fkey" }, found: "found stock_size_id_fkey (ON DELETE NO ACTION ON UPDATE NO ACTION, NOT VALID)", plannedAs: "partial", outcome: "applied",
            steps: [{ description: "validate", sql: [], lock: "SHARE UPDATE EXCLUSIVE", tables: [], hazards: [], status: "applied", durationMs: 2.5, lockWaitMs: 0, retries: 1 }] },
          { operationId: "repair:backfill-order-platform-stockx", kind: "repair", subject: { schema: "sales", table: "order" }, found: "declared repair; why: …", plannedAs: "repair", outcome: "repaired",
            steps: [{ description: "repair", sql: [], lock: "ROW EXCLUSIVE", tables: [], hazards: ["BACKFILLS_DATA"], status: "applied", durationMs: 1.5, lockWaitMs: 0, retries: 0, rowsAffected: 29 }] },
        ],
      }],
    },
    before: state(false),
    after: state(true),
    performance: [{
      label: "the real size", rows: { "catalog.product": 763 },
      comparisons: [{
        query: { id: "enrichment-job-filter", title: "Enrichment job's filter", sql: "SELECT …", serves: "the enrichment job", indexes: ["idx_product_description_null"] },
        before: measurement("enrichment-job-filter", 0.089, ["Seq Scan"], [], []),
        after: measurement("enrichment-job-filter", 0.084, ["Seq Scan"], [], ["idx_product_description_null"]),
      }],
    }],
    rehearsal: fixtureRehearsal(),
    rollback: [{ migration: "20251117000100_fix_foreign_keys_and_nullability", downSql: "ALTER TABLE sales.\"order\" DROP CONSTRAINT order_platform_id_fkey;" }],
    ...overrides,
  };
}
