import type { RunLog } from "@soleflip/migrator";
import type { CriticalQuery } from "../performance/critical-queries.ts";
import type { Measurement } from "../performance/explain.ts";
import type { Verification } from "../verify.ts";
import type { StateSummary } from "./state.ts";

export interface PerformanceComparison {
  query: Pick<CriticalQuery, "id" | "title" | "sql">;
  before?: Measurement | undefined;
  after: Measurement;
}

export interface PerformanceScale {
  label: string;
  products: number;
  /** Products matching the enrichment filter. */
  needingEnrichment: number;
  comparisons: PerformanceComparison[];
}

export interface RollbackStep {
  migration: string;
  downSql: string | undefined;
}

/** Everything the report says, as data; renderers are pure functions of it. */
export interface Report {
  tool: "soleflip-schema-report";
  version: 1;
  generatedAt: string;
  database: string;
  postgresVersion: string;
  status: "pass" | "fail";
  verification: Verification;
  applyLog?: RunLog | undefined;
  before?: StateSummary | undefined;
  after: StateSummary;
  performance: PerformanceScale[];
  rollback: RollbackStep[];
}
