import { join } from "node:path";
import { readWholeLiveSchema } from "@soleflip/catalog";
import { readDirectives } from "@soleflip/sql";
import type pg from "pg";
import type { LocalMigration } from "../history/local-migrations.ts";
import { planOperation } from "../plan/plan-operation.ts";
import { runPreflight } from "../preflight/preflight.ts";
import { RULES } from "../rules/index.ts";
import type { RuleContext } from "../rules/rule.ts";
import type { Finding } from "./finding.ts";
import { runSquawk } from "./squawk.ts";

export interface LintOptions {
  /** A connection for the rules that need the database; undefined lints offline. */
  client?: pg.ClientBase | undefined;
  largeTableRows?: number;
}

const fileOf = (migration: LocalMigration) => `${migration.name}/migration.sql`;

/**
 * Lints migrations with squawk and with our own rules (some of which read the database: table sizes,
 * the data a constraint would reject). A `-- migrator-ignore <rule>: <reason>` before a statement
 * suppresses that rule's findings on it; suppressed findings are reported but do not count.
 */
export async function lintMigrations(migrations: readonly LocalMigration[], options: LintOptions = {}): Promise<Finding[]> {
  const byPath = new Map(migrations.map((migration) => [join(migration.directory, "migration.sql"), migration]));
  const findings = await runSquawk([...byPath.keys()], (file) => (byPath.get(file) ? fileOf(byPath.get(file) as LocalMigration) : file));

  let database: RuleContext["database"];
  let live: Awaited<ReturnType<typeof readWholeLiveSchema>> | undefined;
  if (options.client) {
    live = await readWholeLiveSchema(options.client);
  }
  for (const migration of migrations) {
    if (options.client && live) {
      const planned = migration.operations.map((operation) => planOperation(operation, live as NonNullable<typeof live>));
      database = {
        live,
        preflight: await runPreflight(options.client, [{ migration: migration.name, planned }], live),
        rowEstimates: new Map(live.tables.map((table) => [`${table.schema}.${table.table}`, table.estimatedRows])),
      };
    }
    const context: RuleContext = { migration, ...(database ? { database } : {}), options: { largeTableRows: options.largeTableRows ?? 10_000 } };
    for (const rule of RULES) {
      if (rule.needsDatabase && !context.database) continue;
      for (const finding of rule.check(context)) findings.push({ ...finding, rule: rule.id, source: "soleflip", file: fileOf(migration) });
    }
  }
  for (const finding of findings) {
    const migration = migrations.find((m) => finding.file === fileOf(m));
    const statement = migration?.statements.filter((s) => s.line <= finding.line).at(-1) ?? migration?.statements[0];
    const ignore = statement ? readDirectives(statement.comments).ignoreRules.find((entry) => entry.rule === finding.rule) : undefined;
    if (ignore) finding.suppressed = ignore.reason;
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}

export function countsAgainst(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => !finding.suppressed);
}

export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "No lint findings.";
  const lines = findings.map(
    (f) =>
      `${f.file}:${f.line}: ${f.level} [${f.source === "squawk" ? "squawk/" : ""}${f.rule}] ${f.message}${f.suppressed ? ` (suppressed: ${f.suppressed})` : ""}${f.help && !f.suppressed ? `\n    help: ${f.help}` : ""}`,
  );
  const open = countsAgainst(findings).length;
  lines.push("", `${open} finding(s)${findings.length > open ? `, ${findings.length - open} suppressed` : ""}.`);
  return lines.join("\n");
}
