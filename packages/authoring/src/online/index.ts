import type { OnlineContext, OnlineKind, OnlinePlan } from "./kind.ts";
import { changeColumnType } from "./change-column-type.ts";
import { fillNewColumn } from "./fill-new-column.ts";
import { renameColumn } from "./rename-column.ts";
import { renameTable } from "./rename-table.ts";

export type { OnlineContext, OnlineKind, OnlinePlan, Phase, PhaseName } from "./kind.ts";

/** The kinds of change `create` writes in online form, tried in order; the first that claims Prisma's whole diff wins. */
export const ONLINE_KINDS: readonly OnlineKind[] = [renameColumn, renameTable, changeColumnType, fillNewColumn];

export function planOnline(context: OnlineContext): OnlinePlan | undefined {
  for (const kind of ONLINE_KINDS) {
    const plan = kind.plan(context);
    if (plan) return plan;
  }
  return undefined;
}
