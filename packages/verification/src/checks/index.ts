import type { Check } from "./check.ts";
import { checkConstraintsMatch } from "./check-constraints-match.ts";
import { columnsMatch } from "./columns-match.ts";
import { enumsMatch } from "./enums-match.ts";
import { foreignKeysMatch } from "./foreign-keys-match.ts";
import { indexesMatch } from "./indexes-match.ts";
import { migrationHistory } from "./migration-history.ts";
import { noDrift } from "./no-drift.ts";
import { noOrphanRows } from "./no-orphan-rows.ts";
import { schemasExist } from "./schemas-exist.ts";
import { tablesMatch } from "./tables-match.ts";
import { uniqueConstraintsMatch } from "./unique-constraints-match.ts";

/** Every check, in report order; ids are stable and unique (a test checks). */
export const CHECKS: readonly Check[] = [
  schemasExist,
  tablesMatch,
  columnsMatch,
  enumsMatch,
  foreignKeysMatch,
  uniqueConstraintsMatch,
  checkConstraintsMatch,
  indexesMatch,
  noOrphanRows,
  migrationHistory,
  noDrift,
];
