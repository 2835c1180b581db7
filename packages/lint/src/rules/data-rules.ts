import { preflightRule } from "./preflight-rule.ts";

export const banForeignKeyWithOrphans = preflightRule(
  "ban-foreign-key-with-orphans",
  "orphans",
  "Rows of the database reference a missing parent, so the foreign key cannot be validated.",
  "Fix or remove the orphan rows first (a declared repair with its reason), or point them at a real parent.",
);

export const banNotNullWithNulls = preflightRule(
  "ban-not-null-with-nulls",
  "nulls",
  "A column made NOT NULL still holds NULLs that no declared repair fills.",
  "Declare a repair (-- migrator:repair <id> with -- migrator:why <reason>) that fills them, or keep the column optional.",
);

export const banUniqueWithDuplicates = preflightRule(
  "ban-unique-with-duplicates",
  "duplicates",
  "A unique index or constraint over values that are already duplicated.",
  "Resolve the duplicates first (a declared repair), or make the index non-unique.",
);

export const banCheckWithViolations = preflightRule(
  "ban-check-with-violations",
  "violations",
  "A CHECK constraint that existing rows violate.",
  "Fix the rows first with a declared repair (e.g. normalise the spelling of a status), then add the CHECK.",
);

export const banRequiredColumnOnFilledTable = preflightRule(
  "ban-required-column-on-filled-table",
  "rows-present",
  "A NOT NULL column without a default, added to a table that has rows.",
  "Give it a default, or add it nullable, fill it with a declared repair, and make it required in a later migration.",
);

export const banTypeChangeThatDoesNotFit = preflightRule(
  "ban-type-change-that-does-not-fit",
  "does-not-fit",
  "A column's new type does not accept some of the values it holds.",
  "Fix those values first (a declared repair), or choose a type that holds them.",
);

export const banEnumValueRemovalInUse = preflightRule(
  "ban-enum-value-removal-in-use",
  "enum-values-in-use",
  "An enum loses a value that rows still hold.",
  "Change those rows first (a declared repair), or keep the value; a renamed value is ALTER TYPE … RENAME VALUE.",
);
