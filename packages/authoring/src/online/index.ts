import type { OnlineContext, OnlineKind, OnlinePlan } from "./kind.ts";
import { changeColumnType } from "./change-column-type.ts";
import { renameColumn } from "./rename-column.ts";

export type { OnlineContext, OnlineKind, OnlinePlan, Phase, PhaseName } from "./kind.ts";

/** The kinds of change `create` writes in online form, tried in order; the first that claims Prisma's whole diff wins. */
export const ONLINE_KINDS: readonly OnlineKind[] = [renameColumn, changeColumnType];

export function planOnline(context: OnlineContext): OnlinePlan | undefined {
  for (const kind of ONLINE_KINDS) {
    const plan = kind.plan(context);
    if (plan) return plan;
  }
  return undefined;
}
