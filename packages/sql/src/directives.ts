import { parseDuration } from "@soleflip/core";

/**
 * Directives are `--` comments right before a statement that tell the migrator something the SQL
 * cannot: `-- migrator:repair <id>` with `-- migrator:why <text>` lines declares a data repair;
 * `-- migrator:allow-hazard <HAZARD>: <reason>` acknowledges a hazard; `-- migrator-ignore <rule-id>: <reason>`
 * suppresses a lint rule; `-- migrator:statement-timeout <duration>` raises the server's statement_timeout for
 * the statement's long steps (an index build, a validation) only. Reasons are required.
 *
 * Expand and contract: `-- migrator:contract-of <expand migration>` on a migration's first statement makes
 * it the contract of that expand (the runner applies it only in a run after the one that finished the expand:
 * the application's previous version, which still uses what the contract drops, has been replaced by then);
 * `-- migrator:gate` before a `DO` block makes it the migration's gate: run first, read-only, before anything
 * of the migration is recorded or changed, and a refusal (exit 2) with its message when it raises.
 */
export interface Directives {
  repair?: { id: string; why: string };
  allowHazards: Array<{ hazard: string; reason: string }>;
  ignoreRules: Array<{ rule: string; reason: string }>;
  /** statement_timeout for this statement's long steps, in milliseconds (never 0: that would disable the guard). */
  statementTimeoutMs?: number;
  /** This migration is the contract of that (expand) migration. */
  contractOf?: string;
  /** This statement (a DO block) is the migration's gate. */
  gate?: boolean;
  problems: string[];
}

export function readDirectives(comments: readonly string[]): Directives {
  const directives: Directives = { allowHazards: [], ignoreRules: [], problems: [] };
  const why: string[] = [];
  let repairId: string | undefined;
  for (const comment of comments) {
    const repair = /^migrator:repair\s+([a-z0-9][a-z0-9-]*)\s*$/.exec(comment);
    if (repair) {
      repairId = repair[1];
      continue;
    }
    const reason = /^migrator:why\s+(.+)$/.exec(comment);
    if (reason?.[1]) {
      why.push(reason[1].trim());
      continue;
    }
    const hazard = /^migrator:allow-hazard\s+([A-Z_]+)\s*(?::\s*(.*))?$/.exec(comment);
    if (hazard?.[1]) {
      if (hazard[2]?.trim()) directives.allowHazards.push({ hazard: hazard[1], reason: hazard[2].trim() });
      else directives.problems.push(`allow-hazard ${hazard[1]} needs a reason ("-- migrator:allow-hazard ${hazard[1]}: <why it is safe>")`);
      continue;
    }
    const ignore = /^migrator-ignore\s+([a-z0-9-]+)\s*(?::\s*(.*))?$/.exec(comment);
    if (ignore?.[1]) {
      if (ignore[2]?.trim()) directives.ignoreRules.push({ rule: ignore[1], reason: ignore[2].trim() });
      else directives.problems.push(`migrator-ignore ${ignore[1]} needs a reason ("-- migrator-ignore ${ignore[1]}: <reason>")`);
      continue;
    }
    const timeout = /^migrator:statement-timeout\s+(.+)$/.exec(comment);
    if (timeout?.[1]) {
      const ms = parseDuration(timeout[1]);
      if (ms === undefined || ms <= 0) directives.problems.push(`statement-timeout "${timeout[1].trim()}" is not a positive duration (e.g. "-- migrator:statement-timeout 10min"; 0 would disable the guard)`);
      else directives.statementTimeoutMs = ms;
      continue;
    }
    const contract = /^migrator:contract-of(?:\s+(.*))?$/.exec(comment);
    if (contract) {
      const expand = contract[1]?.trim() ?? "";
      if (/^\d{14}_[a-z0-9_]+$/i.test(expand)) directives.contractOf = expand;
      else directives.problems.push(`contract-of needs the expand migration's folder name ("-- migrator:contract-of 20261207120000_rename_note_expand"), got "${expand}"`);
      continue;
    }
    if (/^migrator:gate\s*$/.test(comment)) {
      directives.gate = true;
      continue;
    }
    if (/^migrator[:-]/.test(comment)) directives.problems.push(`unknown directive "${comment}"`);
  }
  if (repairId) {
    if (why.length === 0) directives.problems.push(`repair ${repairId} must say why it is correct ("-- migrator:why <reason>")`);
    else directives.repair = { id: repairId, why: why.join(" ") };
  }
  return directives;
}
