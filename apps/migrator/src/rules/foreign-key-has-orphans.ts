import { preflightRule } from "./preflight-rule.ts";

export const foreignKeyHasOrphans = preflightRule(
  "foreign-key-has-orphans",
  "orphans",
  "Rows of the database reference a missing parent, so the foreign key cannot be validated.",
  "Fix or remove the orphan rows first (a repair with its reason), or point them at a real parent.",
);
