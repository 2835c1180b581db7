import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { parseStatements } from "@soleflip/sql";

/**
 * A query the schema exists to serve, kept as data next to the schema: one .sql file holding one
 * SELECT, with a header of `-- key: value` comments.
 */
export interface CriticalQuery {
  /** `-- name:` (default: the file name without .sql). */
  id: string;
  /** `-- title:` one line for the report. */
  title: string;
  /** `-- serves:` what depends on it. */
  serves: string;
  /** `-- indexes:` the indexes built for it; the report says when the planner leaves them unused. */
  indexes: string[];
  sql: string;
  file: string;
}

const KEYS = new Set(["name", "title", "serves", "indexes"]);

export async function readCriticalQueries(dir: string): Promise<CriticalQuery[]> {
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  return Promise.all(files.map((name) => readCriticalQuery(join(dir, name))));
}

export async function readCriticalQuery(file: string): Promise<CriticalQuery> {
  const text = await readFile(file, "utf8");
  const statements = await parseStatements(text, file);
  const [statement] = statements;
  if (statements.length !== 1 || !statement || statement.kind !== "SelectStmt") {
    throw new ToolkitError({ code: "project.query-invalid", summary: `${file} must hold exactly one SELECT (found ${statements.map((s) => s.kind).join(", ") || "nothing"}).`, fix: "Keep one query per file; it is measured with EXPLAIN ANALYZE, so it must not change data." });
  }
  const header = new Map<string, string>();
  for (const comment of statement.comments) {
    const match = /^([a-z]+):\s*(.*)$/.exec(comment);
    if (!match?.[1]) continue;
    if (!KEYS.has(match[1])) {
      throw new ToolkitError({ code: "project.query-invalid", summary: `${file}: unknown header key "${match[1]}".`, fix: `Use ${[...KEYS].join(", ")}.` });
    }
    header.set(match[1], (match[2] ?? "").trim());
  }
  const id = header.get("name") || basename(file, ".sql");
  return {
    id,
    title: header.get("title") || id,
    serves: header.get("serves") ?? "",
    indexes: (header.get("indexes") ?? "").split(",").map((name) => name.trim()).filter(Boolean),
    sql: statement.text,
    file,
  };
}
