import { join } from "node:path";
import type { LiveSchema } from "@soleflip/catalog";
import { planOperation, runPreflight } from "@soleflip/planner";
import type { RecognisedMigration } from "@soleflip/runner";
import { readDirectives } from "@soleflip/sql";
import type pg from "pg";
import type { Finding } from "./finding.ts";
import { RULES } from "./rules/index.ts";
import type { RuleContext } from "./rules/rule.ts";
import { runSquawk } from "./squawk.ts";

export interface LintOptions {
  /** The structure the migrations apply to (planning: which changes rewrite, which are present). */
  structure?: LiveSchema | undefined;
  serverVersionNum?: number;
  /** A connection to the database whose data the data rules check; undefined lints without data. */
  client?: pg.ClientBase | undefined;
  /** That database's structure (for its data checks), when it differs from `structure`. */
  dataStructure?: LiveSchema | undefined;
  largeTableRows?: number;
}

const fileOf = (migration: RecognisedMigration) => `${migration.name}/migration.sql`;

/** The oldest PostgreSQL the toolkit supports: plans without a server are made for it. */
const OLDEST_SUPPORTED = 140_000;

/**
 * Lints migrations with squawk and with our own rules: the planner's hazards (against the structure the
 * migration applies to) and, with a database, the data the migration would meet. A
 * `-- migrator-ignore <rule>: <reason>` before a statement suppresses that rule's findings on it;
 * suppressed and info findings are reported but do not count.
 */
export async function lintMigrations(migrations: readonly RecognisedMigration[], options: LintOptions = {}): Promise<Finding[]> {
  const byPath = new Map(migrations.map((migration) => [join(migration.directory, "migration.sql"), migration]));
  const findings = await runSquawk([...byPath.keys()], (file) => {
    const migration = byPath.get(file);
    return migration ? fileOf(migration) : file;
  });
  const serverVersionNum = options.serverVersionNum ?? OLDEST_SUPPORTED;
  const dataStructure = options.dataStructure ?? options.structure;
  for (const migration of migrations) {
    let database: RuleContext["database"];
    if (options.client && dataStructure) {
      const planned = migration.operations.map((operation) => planOperation(operation, { live: dataStructure, serverVersionNum }));
      database = {
        preflight: await runPreflight(options.client, [{ migration: migration.name, planned }], dataStructure, serverVersionNum, { acknowledgeAll: true }),
        rowEstimates: new Map(dataStructure.tables.map((table) => [`${table.schema}.${table.table}`, table.estimatedRows])),
      };
    }
    const context: RuleContext = { migration, structure: options.structure, serverVersionNum, ...(database ? { database } : {}), options: { largeTableRows: options.largeTableRows ?? 10_000 } };
    for (const rule of RULES) {
      if (rule.needsDatabase && !context.database) continue;
      for (const finding of rule.check(context)) findings.push({ ...finding, rule: rule.id, source: "soleflip", file: fileOf(migration), path: join(migration.directory, "migration.sql") });
    }
  }
  for (const finding of findings) {
    const migration = migrations.find((m) => finding.file === fileOf(m));
    const statement = migration ? statementAt(migration, finding.line) : undefined;
    const ignore = statement ? readDirectives(statement.comments).ignoreRules.find((entry) => entry.rule === finding.rule) : undefined;
    if (ignore) finding.suppressed = ignore.reason;
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}

/**
 * The statement a finding's line belongs to: the one starting on or before it, or, when the line is in the
 * comments right before a statement (squawk counts a statement's leading comments as its own), that statement.
 */
function statementAt(migration: RecognisedMigration, line: number): RecognisedMigration["statements"][number] | undefined {
  const next = migration.statements.find((s) => s.line >= line);
  if (next) {
    const between = migration.sql.split("\n").slice(line - 1, next.line - 1);
    if (between.every((text) => text.trim() === "" || text.trim().startsWith("--"))) return next;
  }
  return migration.statements.filter((s) => s.line <= line).at(-1) ?? migration.statements[0];
}

/** The findings that make the exit code 2: not suppressed, not info. */
export function countsAgainst(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => !finding.suppressed && finding.level !== "info");
}
