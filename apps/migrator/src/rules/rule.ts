import type { LiveSchema } from "@soleflip/catalog";
import type { LocalMigration } from "../history/local-migrations.ts";
import type { PreflightResult } from "../preflight/preflight.ts";
import type { Finding } from "../lint/finding.ts";

/** What a rule sees: the migration, and (for rules that need a database) its live state and data checks. */
export interface RuleContext {
  migration: LocalMigration;
  /** Undefined when linting offline. */
  database?: {
    live: LiveSchema;
    /** Pre-flight results of this migration's operations against the database's current data. */
    preflight: PreflightResult[];
    /** Row counts (estimated, pg_class.reltuples) by `schema.table`. */
    rowEstimates: Map<string, number>;
  };
  options: { largeTableRows: number };
}

export type RuleFinding = Omit<Finding, "rule" | "source" | "file">;

/** One safety rule: the id is also the file name, the doc name and the suppression token. */
export interface Rule {
  id: string;
  summary: string;
  needsDatabase: boolean;
  check(context: RuleContext): RuleFinding[];
}
