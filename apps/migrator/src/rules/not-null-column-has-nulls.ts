import { preflightRule } from "./preflight-rule.ts";

export const notNullColumnHasNulls = preflightRule(
  "not-null-column-has-nulls",
  "nulls",
  "The column has NULLs that no declared repair fills, so NOT NULL cannot be enforced.",
  'Declare a repair ("-- migrator:repair <id>" + "-- migrator:why <reason>" before an UPDATE) that provably fills them.',
);
