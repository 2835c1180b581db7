export { catalogSql } from "./load-sql.ts";
export {
  listUserSchemas,
  qualified,
  readLiveSchema,
  readWholeLiveSchema,
  REFERENTIAL_ACTION_NAMES,
  type LiveColumn,
  type LiveConstraint,
  type LiveEnum,
  type LiveForeignKey,
  type LiveIndex,
  type LiveSchema,
  type LiveTable,
  type ReferentialAction,
} from "./live-schema.ts";
export const SOLEFLIP_SCHEMAS = ["analytics", "catalog", "inventory", "platform", "sales", "supplier"] as const;
export { diffSnapshots, readSnapshot, type SnapshotDifference, type SnapshotRow } from "./snapshot.ts";
