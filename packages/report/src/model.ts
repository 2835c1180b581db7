import type { CriticalQuery } from "@soleflip/project";
import type { ObservationSummary, RehearsalFinding } from "@soleflip/rehearsal";
import type { RunLog } from "@soleflip/runner";
import type { IndexProposal, Measurement, Verification } from "@soleflip/verification";
import type { StateSummary } from "./state.ts";

export interface PerformanceComparison {
  query: Pick<CriticalQuery, "id" | "title" | "sql" | "serves" | "indexes">;
  before?: Measurement | undefined;
  after?: Measurement | undefined;
  /** Why the query was not measured here. */
  skipped?: string | undefined;
}

export interface PerformanceScale {
  label: string;
  /** Rows of the tables the report is about, at this scale. */
  rows: Record<string, number>;
  comparisons: PerformanceComparison[];
  /** Candidate indexes for the critical queries, built and measured here on a copy of ours, then dropped. */
  proposals?: IndexProposal[] | undefined;
}

/** The migration run observed under a synthetic write load (see @soleflip/rehearsal). */
export interface RehearsalSection {
  /** Where it ran, e.g. "100× the real size, 2 writers per touched table". */
  label: string;
  budgetMs: number;
  summary: ObservationSummary;
  findings: RehearsalFinding[];
}

export interface RollbackStep {
  migration: string;
  downSql: string | undefined;
}

/** Everything the report says, as data; renderers are pure functions of it. */
export interface Report {
  tool: "soleflip-schema-report";
  version: 2;
  /** The project's name (its folder), for the title. */
  project: string;
  generatedAt: string;
  database: string;
  postgresVersion: string;
  status: "pass" | "fail";
  verification: Verification;
  applyLog?: RunLog | undefined;
  before?: StateSummary | undefined;
  after: StateSummary;
  performance: PerformanceScale[];
  rehearsal?: RehearsalSection | undefined;
  rollback: RollbackStep[];
}
