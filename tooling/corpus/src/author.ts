import { parseStatements, type ParsedStatement } from "@soleflip/sql";

/** A finding as `create --json` prints it (the fields the author reads). */
export interface PrintedFinding {
  rule: string;
  level: "error" | "warning" | "info";
  line: number;
  message: string;
  help?: string;
  hazards?: string[];
  suppressed?: string;
}

/**
 * The edits a project's author makes to the file `create` wrote, replayed: the hand-written SQL the
 * project's own migrations hold that a Prisma schema cannot say (CREATE EXTENSION, copied as their team
 * wrote it, before the generated statements), and an acknowledgement for each hazard the findings name
 * (the project's team shipped the change, so they accepted it). Anything else a finding asks for is not
 * guessed: the step's `--check` then fails and the replay reports it.
 */
export async function authorEdits(ourSql: string, findings: readonly PrintedFinding[], pendingExtensions: readonly string[]): Promise<{ sql: string; edits: string[] }> {
  const edits: string[] = [];
  const lines = ourSql.split("\n");
  const acknowledgements = findings
    .filter((finding) => finding.rule === "ban-unacknowledged-hazard" && !finding.suppressed)
    .flatMap((finding) => (finding.hazards ?? []).map((hazard) => ({ line: finding.line, hazard })))
    .sort((a, b) => b.line - a.line);
  for (const { line, hazard } of acknowledgements) {
    lines.splice(line - 1, 0, `-- migrator:allow-hazard ${hazard}: the project's team shipped this change`);
    edits.push(`acknowledged ${hazard} at line ${line}`);
  }
  let sql = lines.join("\n");
  if (pendingExtensions.length > 0) {
    // After the header's SET lines, before the first generated statement, as an author would paste it.
    const statements = await parseStatements(sql, "migration.sql");
    const first = statements.find((statement) => statement.kind !== "VariableSetStmt");
    const at = first ? nthLineStart(sql, first.line) : sql.length;
    sql = `${sql.slice(0, at)}${pendingExtensions.map((statement) => `${statement};\n`).join("")}${sql.slice(at)}`;
    edits.push(...pendingExtensions.map((statement) => `added the project's ${statement}`));
  }
  return { sql, edits };
}

/** The CREATE EXTENSION statements of the project's migrations, as written, in order. */
export async function extensionStatements(migrations: ReadonlyArray<{ name: string; sql: string }>): Promise<Array<{ extension: string; statement: string }>> {
  const found: Array<{ extension: string; statement: string }> = [];
  for (const migration of migrations) {
    let statements: ParsedStatement[];
    try {
      statements = await parseStatements(migration.sql, `${migration.name}/migration.sql`);
    } catch {
      continue; // their file does not parse with PostgreSQL 18's parser: nothing of it is copied
    }
    for (const statement of statements) {
      if (statement.kind !== "CreateExtensionStmt") continue;
      const node = statement.node as { CreateExtensionStmt?: { extname?: string } };
      const extension = node.CreateExtensionStmt?.extname;
      if (extension && !found.some((f) => f.extension === extension)) found.push({ extension, statement: statement.text });
    }
  }
  return found;
}

function nthLineStart(text: string, line: number): number {
  let at = 0;
  for (let n = 1; n < line; n += 1) {
    const next = text.indexOf("\n", at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}
