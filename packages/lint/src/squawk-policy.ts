/**
 * What each squawk rule means next to this toolkit. Squawk judges SQL as written; the runner decides
 * by definition and applies it online-safe, and the planner's own hazards (ban-unacknowledged-hazard)
 * say precisely which changes rewrite or destroy. So:
 * - "runner": the runner makes the statement safe or the planner reports it precisely; shown as info;
 * - "prisma-style": a type opinion about what the Prisma schema says explicitly (VARCHAR(n),
 *   TIMESTAMP(3), Int, autoincrement) or how Prisma writes SQL (enum values appended); shown as info;
 * - anything else counts.
 */
export const SQUAWK_POLICY: Record<string, { kind: "runner" | "prisma-style"; why: string }> = {
  "changing-column-type": { kind: "runner", why: "the planner tells a rewriting type change (hazard, needs acknowledgement) from one that rewrites nothing" },
  "adding-field-with-default": { kind: "runner", why: "constant defaults rewrite nothing since PostgreSQL 11; a volatile default is the planner's REWRITES_TABLE hazard" },
  "adding-required-field": { kind: "runner", why: "the pre-flight counts the rows a NOT NULL column without default cannot be added to" },
  "adding-not-nullable-field": { kind: "runner", why: "NOT NULL is applied through a validated CHECK or PostgreSQL 18's NOT VALID constraint" },
  "setting-not-nullable-field": { kind: "runner", why: "NOT NULL is applied through a validated CHECK or PostgreSQL 18's NOT VALID constraint" },
  "adding-foreign-key-constraint": { kind: "runner", why: "foreign keys are added NOT VALID, then validated" },
  "constraint-missing-not-valid": { kind: "runner", why: "constraints are added NOT VALID, then validated" },
  "require-concurrent-index-creation": { kind: "runner", why: "indexes are built CONCURRENTLY" },
  "require-concurrent-index-deletion": { kind: "runner", why: "indexes are dropped CONCURRENTLY" },
  "disallowed-unique-constraint": { kind: "runner", why: "unique constraints are attached to a concurrently built index" },
  "ban-drop-column": { kind: "runner", why: "DELETES_DATA: the planner's hazard, which needs acknowledgement" },
  "ban-drop-table": { kind: "runner", why: "DELETES_DATA: the planner's hazard, which needs acknowledgement" },
  "ban-drop-database": { kind: "runner", why: "DELETES_DATA: the planner's hazard, which needs acknowledgement" },
  "require-lock-timeout": { kind: "runner", why: "the runner sets lock_timeout on every statement that takes a lock" },
  "require-timeout-settings": { kind: "runner", why: "the runner sets lock_timeout on every statement that takes a lock" },
  "transaction-nesting": { kind: "runner", why: "the runner manages transactions; Prisma's BEGIN … COMMIT blocks run as one transaction" },
  "adding-serial-primary-key-field": { kind: "runner", why: "a serial or identity added to a table with rows is the planner's REWRITES_TABLE hazard" },
  "require-enum-value-ordering": { kind: "prisma-style", why: "Prisma appends enum values by design; ALTER TYPE … ADD VALUE blocks nothing" },
  "prefer-text-field": { kind: "prisma-style", why: "the schema says @db.VarChar(n) explicitly" },
  "prefer-timestamp-tz": { kind: "prisma-style", why: "Prisma's DateTime is TIMESTAMP(3) unless the schema says @db.Timestamptz" },
  "prefer-bigint-over-int": { kind: "prisma-style", why: "the schema says Int" },
  "prefer-bigint-over-smallint": { kind: "prisma-style", why: "the schema says SmallInt" },
  "prefer-identity": { kind: "prisma-style", why: "Prisma writes autoincrement() as SERIAL" },
  "ban-char-field": { kind: "prisma-style", why: "the schema says @db.Char(n) explicitly" },
  "ban-drop-not-null": { kind: "prisma-style", why: "the schema made the field optional on purpose, and Prisma's client types follow it" },
};
