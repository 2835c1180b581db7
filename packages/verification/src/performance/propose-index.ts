import { createHash } from "node:crypto";
import type { CriticalQuery } from "@soleflip/project";
import { deparseNode, parseStatementsSync, ensureParserLoaded, quoteIdent, quoteQualified, type Node } from "@soleflip/sql";
import type pg from "pg";
import { compareMeasurements } from "./compare.ts";
import { measureQuery, type Measurement } from "./explain.ts";

/**
 * A candidate index for a critical query that no index serves well: the rows the plan filters on a large
 * table, as a partial index over its primary key. Built in a database of ours at scale, measured, dropped:
 * a suggestion with its evidence, never applied to the user's database.
 */
export interface IndexProposal {
  queryId: string;
  /** schema.table the plan scans and filters. */
  table: string;
  /** How the plan reaches those rows today, e.g. "Seq Scan" or "Bitmap Heap Scan". */
  scan: string;
  /** The plan's filter on that table, without the query's alias: the candidate's predicate. */
  predicate: string;
  /** The statement to put in a migration. */
  sql: string;
  /** Present when the candidate was built: its size and the query measured with it in place. */
  built?: { indexBytes: number; measurement: Measurement; used: boolean };
  /** faster / slower only outside the measured spread (the interquartile ranges do not overlap). */
  verdict: "faster" | "no-measurable-change" | "slower" | "not-used" | "not-built";
  /** Why it was not built (e.g. the filter holds a parameter or a function PostgreSQL cannot index on). */
  reason?: string;
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Schema?: string;
  Alias?: string;
  Filter?: string;
  "Recheck Cond"?: string;
  Plans?: PlanNode[];
}

/** Below this many rows an index buys nothing a scan does not already do in a few pages. */
const MIN_ROWS = 10_000;

/**
 * For each scan of a table with at least MIN_ROWS rows that filters rows (a Seq Scan with a Filter, or a
 * Bitmap Heap Scan combining indexes), builds `CREATE INDEX CONCURRENTLY … (primary key) WHERE <filter>`
 * in the database of `client` (which must be ours: it is changed, then put back), measures the query with
 * it, and drops it.
 */
export async function proposeIndexes(client: pg.ClientBase, query: CriticalQuery, current: Measurement, options: { runs: number }): Promise<IndexProposal[]> {
  const plan = (await client.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (VERBOSE, FORMAT JSON) ${query.sql}`)).rows[0]?.["QUERY PLAN"][0]?.Plan;
  if (!plan) return [];
  const proposals: IndexProposal[] = [];
  for (const node of scansThatFilter(plan)) {
    const schema = node.Schema as string;
    const table = node["Relation Name"] as string;
    const filter = [node["Recheck Cond"], node.Filter].filter((part): part is string => part !== undefined).join(" AND ");
    if (proposals.some((p) => p.table === `${schema}.${table}` && p.predicate === filter)) continue;
    const rows = await client.query<{ rows: number; key: string[] | null }>(
      `SELECT c.reltuples::float8 AS rows,
              (SELECT array_agg(a.attname::text ORDER BY k.ordinality) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = c.oid AND i.indisprimary) AS key
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
      [schema, table],
    );
    const info = rows.rows[0];
    if (!info || info.rows < MIN_ROWS) continue;
    proposals.push(await tryCandidate(client, query, current, { schema, table, scan: node["Node Type"], filter, alias: node.Alias ?? table, key: info.key ?? [] }, options.runs));
  }
  return proposals;
}

function scansThatFilter(node: PlanNode): PlanNode[] {
  const here =
    node["Relation Name"] && node.Schema && ((node["Node Type"] === "Seq Scan" && node.Filter) || (node["Node Type"] === "Bitmap Heap Scan" && node["Recheck Cond"])) ? [node] : [];
  return [...here, ...(node.Plans ?? []).flatMap(scansThatFilter)];
}

async function tryCandidate(
  client: pg.ClientBase,
  query: CriticalQuery,
  current: Measurement,
  target: { schema: string; table: string; scan: string; filter: string; alias: string; key: string[] },
  runs: number,
): Promise<IndexProposal> {
  const base = { queryId: query.id, table: `${target.schema}.${target.table}`, scan: target.scan };
  const notBuilt = (predicate: string, sql: string, reason: string): IndexProposal => ({ ...base, predicate, sql, verdict: "not-built", reason });
  const predicate = await unqualified(target.filter, target.alias);
  if (!predicate.ok) return notBuilt(target.filter, "", predicate.reason);
  if (target.key.length === 0) return notBuilt(predicate.text, "", "the table has no primary key to key the index on");
  const hash = createHash("sha256").update(`${base.table}:${predicate.text}`).digest("hex").slice(0, 8);
  const name = `${target.table.slice(0, 40)}_candidate_${hash}`;
  const sql = `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${quoteQualified(target.schema, target.table)} (${target.key.map(quoteIdent).join(", ")}) WHERE ${predicate.text}`;
  // The very statement suggested is the one built, so what is shown is known to run.
  try {
    await client.query(sql);
  } catch (error) {
    await dropCandidate(client, target.schema, name);
    return notBuilt(predicate.text, sql, `PostgreSQL refused it: ${(error as Error).message}`);
  }
  try {
    const indexBytes = Number((await client.query<{ bytes: string }>("SELECT pg_relation_size(to_regclass($1)) AS bytes", [`${quoteIdent(target.schema)}.${quoteIdent(name)}`])).rows[0]?.bytes ?? 0);
    const measurement = await measureQuery(client, query, { runs });
    const used = measurement.indexesUsed.includes(name);
    // The same rule as every claim of the report (compare.ts): a change only where the plan changed and the times are apart.
    const change = compareMeasurements(current, measurement);
    const verdict = !used ? "not-used" : change.time === "faster" ? "faster" : change.time === "slower" ? "slower" : "no-measurable-change";
    return { ...base, predicate: predicate.text, sql, built: { indexBytes, measurement, used }, verdict };
  } finally {
    await dropCandidate(client, target.schema, name);
  }
}

async function dropCandidate(client: pg.ClientBase, schema: string, name: string): Promise<void> {
  await client.query(`DROP INDEX IF EXISTS ${quoteQualified(schema, name)}`);
}

/**
 * The plan's filter as an index predicate: parsed by PostgreSQL's parser, the query's alias removed from
 * column references (an index predicate sees only its table), deparsed. Parameters and subplans cannot be
 * indexed and are refused.
 */
async function unqualified(filter: string, alias: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  await ensureParserLoaded();
  let where: Node | undefined;
  try {
    const [statement] = parseStatementsSync(`SELECT 1 WHERE ${filter}`, "the plan's filter");
    where = (statement?.node as { SelectStmt?: { whereClause?: Node } } | undefined)?.SelectStmt?.whereClause;
  } catch {
    return { ok: false, reason: "the plan's filter holds something that is not an expression over the table's columns (a subplan or a parameter)" };
  }
  if (!where) return { ok: false, reason: "the plan's filter could not be read" };
  let foreign = false;
  visit(where, (record) => {
    if ("ParamRef" in record || "SubLink" in record) foreign = true;
    const ref = record["ColumnRef"] as { fields?: Array<{ String?: { sval?: string } }> } | undefined;
    if (ref?.fields && ref.fields.length === 2) {
      if (ref.fields[0]?.String?.sval === alias) ref.fields = ref.fields.slice(1);
      else foreign = true;
    }
  });
  if (foreign) return { ok: false, reason: "the plan's filter refers to a parameter, a subquery or another table" };
  return { ok: true, text: deparseNode(where, { oneLine: true }) };
}

function visit(value: unknown, onRecord: (record: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, onRecord);
  } else if (value && typeof value === "object") {
    onRecord(value as Record<string, unknown>);
    for (const child of Object.values(value)) visit(child, onRecord);
  }
}
