import type { LockMode } from "@soleflip/planner";

/** pg_locks.mode (e.g. "ShareUpdateExclusiveLock") as the lock mode the plan names. */
const FROM_PG_LOCKS: Record<string, LockMode> = {
  AccessShareLock: "ACCESS SHARE",
  RowShareLock: "ROW SHARE",
  RowExclusiveLock: "ROW EXCLUSIVE",
  ShareUpdateExclusiveLock: "SHARE UPDATE EXCLUSIVE",
  ShareLock: "SHARE",
  ShareRowExclusiveLock: "SHARE ROW EXCLUSIVE",
  ExclusiveLock: "EXCLUSIVE",
  AccessExclusiveLock: "ACCESS EXCLUSIVE",
};

export function lockModeOf(pgLocksMode: string): LockMode | undefined {
  return FROM_PG_LOCKS[pgLocksMode];
}
