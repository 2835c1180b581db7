import { banUnacknowledgedHazard } from "./ban-unacknowledged-hazard.ts";
import {
  banCheckWithViolations,
  banEnumValueRemovalInUse,
  banForeignKeyWithOrphans,
  banNotNullWithNulls,
  banRequiredColumnOnFilledTable,
  banTypeChangeThatDoesNotFit,
  banUniqueWithDuplicates,
} from "./data-rules.ts";
import { requireOnlineFormOnLargeTable } from "./require-online-form-on-large-table.ts";
import type { Rule } from "./rule.ts";

/** Every rule of ours, in report order. A meta-test checks ids are unique and each has a doc page. */
export const RULES: readonly Rule[] = [
  banUnacknowledgedHazard,
  requireOnlineFormOnLargeTable,
  banForeignKeyWithOrphans,
  banNotNullWithNulls,
  banUniqueWithDuplicates,
  banCheckWithViolations,
  banRequiredColumnOnFilledTable,
  banTypeChangeThatDoesNotFit,
  banEnumValueRemovalInUse,
];
