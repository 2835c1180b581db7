import { preflightRule } from "./preflight-rule.ts";

export const uniqueIndexHasDuplicates = preflightRule(
  "unique-index-has-duplicates",
  "duplicates",
  "The data has duplicate keys, so the unique index cannot be built.",
  "Resolve the duplicates first, or make the index partial if only some rows must be unique.",
);
