import type { OperationModule } from "../types.ts";

/** Settings the runner manages per step itself; a migration's own value would be overridden anyway. */
const MANAGED_SETTINGS = new Set(["lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout"]);

export const sessionSetting: OperationModule<"session-setting"> = {
  kind: "session-setting",
  summary: "SET lock_timeout / statement_timeout: the runner sets them per step (--lock-timeout), so the migration's own are not run.",
  recognise(fragments) {
    for (const fragment of fragments.statements("VariableSetStmt")) {
      const node = fragment.statement.node;
      const name = "VariableSetStmt" in node ? (node.VariableSetStmt.name ?? "") : "";
      if (!MANAGED_SETTINGS.has(name)) {
        fragments.problem(fragment.statement, `SET ${name} changes how later statements are read; qualify names instead (only lock_timeout and statement_timeout may be set, and the runner manages them)`);
        fragments.discard([fragment]);
        continue;
      }
      fragments.claim([fragment], { kind: "session-setting", id: `session-setting:${fragment.statement.index}`, statements: [fragment.statement] });
    }
  },
  plan: (operation) => ({ operation, status: "ignored", found: "session settings are managed by the runner (--lock-timeout)", steps: [] }),
  preflight: async () => [],
  managedObjects: () => [],
  alternative: () => undefined,
};
