import type { LiveSchema } from "@soleflip/catalog";
import type { PreflightResult } from "@soleflip/planner";
import type { RecognisedMigration } from "@soleflip/runner";
import type { Finding } from "../finding.ts";

/** What a rule sees: the migration, the structure it applies to, and (with a database) its data checks. */
export interface RuleContext {
  migration: RecognisedMigration;
  /** The structure the migration applies to: the database's, create's scratch copy, or nothing offline. */
  structure: LiveSchema | undefined;
  serverVersionNum: number;
  /** Undefined when linting without the database's data. */
  database?: {
    /** Pre-flight results of this migration's operations against the database's current data. */
    preflight: PreflightResult[];
    /** Row counts (estimated, pg_class.reltuples) by `schema.table`. */
    rowEstimates: Map<string, number>;
  };
  options: { largeTableRows: number };
}

export type RuleFinding = Omit<Finding, "rule" | "source" | "file" | "path">;

/** One safety rule: the id is also the file name, the doc name and the suppression token. */
export interface Rule {
  id: string;
  summary: string;
  needsDatabase: boolean;
  check(context: RuleContext): RuleFinding[];
}
