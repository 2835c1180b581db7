import { banUnacknowledgedDataLoss } from "./ban-unacknowledged-data-loss.ts";
import { blockingStatementOnLargeTable } from "./blocking-statement-on-large-table.ts";
import { foreignKeyHasOrphans } from "./foreign-key-has-orphans.ts";
import { notNullColumnHasNulls } from "./not-null-column-has-nulls.ts";
import type { Rule } from "./rule.ts";
import { uniqueIndexHasDuplicates } from "./unique-index-has-duplicates.ts";

/** Every rule of ours, in report order. A meta-test checks ids are unique and each has a doc page. */
export const RULES: readonly Rule[] = [
  banUnacknowledgedDataLoss,
  blockingStatementOnLargeTable,
  foreignKeyHasOrphans,
  notNullColumnHasNulls,
  uniqueIndexHasDuplicates,
];
