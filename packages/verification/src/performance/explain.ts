import type pg from "pg";
import type { CriticalQuery } from "@soleflip/project";

export interface Measurement {
  queryId: string;
  /** Server-side execution time of each measured run (EXPLAIN ANALYZE's "Execution Time"), ms. */
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  p25Ms: number;
  p75Ms: number;
  planningMedianMs: number;
  /** Plan node types, outermost first, without repeats. */
  nodeTypes: string[];
  indexesUsed: string[];
  rows: number;
  sharedHitBlocks: number;
  sharedReadBlocks: number;
  /**
   * The whole plan tree in one line: each node's type, index and relation, children in brackets, e.g.
   * `Limit(Nested Loop(Seq Scan on product, Memoize(Index Scan using brand_pkey on brand)))`. Two
   * measurements with the same shape ran the same plan.
   */
  planShape?: string | undefined;
  /** Indexes built for this query that exist but that the planner did not use. */
  unusedIndexes: string[];
  /** How it was measured, in words. */
  method: string;
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

interface ExplainOutput {
  Plan: PlanNode;
  "Execution Time": number;
  "Planning Time": number;
}

function shapeOf(node: PlanNode): string {
  const own = [node["Node Type"], node["Index Name"] ? `using ${node["Index Name"]}` : "", node["Relation Name"] ? `on ${node["Relation Name"]}` : ""].filter(Boolean).join(" ");
  const children = (node.Plans ?? []).map(shapeOf);
  return children.length > 0 ? `${own}(${children.join(", ")})` : own;
}

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lowerValue = sorted[lower] ?? Number.NaN;
  const upperValue = sorted[upper] ?? Number.NaN;
  return lowerValue + (upperValue - lowerValue) * (position - lower);
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Measures a query with EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON): `warmups` unrecorded runs, then `runs`
 * recorded ones; reports the median and spread of the server-side execution time, the plan's node
 * types and the indexes it used, and which of the indexes built for it exist but went unused.
 */
export async function measureQuery(client: pg.ClientBase, query: CriticalQuery, options: { runs?: number; warmups?: number } = {}): Promise<Measurement> {
  const runs = options.runs ?? 9;
  const warmups = options.warmups ?? 2;
  const explain = `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.sql}`;
  const outputs: ExplainOutput[] = [];
  for (let i = 0; i < warmups + runs; i++) {
    const result = await client.query<{ "QUERY PLAN": ExplainOutput[] }>(explain);
    const output = result.rows[0]?.["QUERY PLAN"][0];
    if (output && i >= warmups) outputs.push(output);
  }
  const times = outputs.map((o) => o["Execution Time"]).sort((a, b) => a - b);
  const planning = outputs.map((o) => o["Planning Time"]).sort((a, b) => a - b);
  const last = outputs.at(-1) as ExplainOutput;
  const nodeTypes: string[] = [];
  const indexesUsed = new Set<string>();
  walk(last.Plan, (node) => {
    if (!nodeTypes.includes(node["Node Type"])) nodeTypes.push(node["Node Type"]);
    if (node["Index Name"]) indexesUsed.add(node["Index Name"]);
  });
  const existing = (
    await client.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = ANY ($1::text[]) AND i.indisvalid",
      [query.indexes],
    )
  ).rows.map((row) => row.name);
  return {
    queryId: query.id,
    runsMs: outputs.map((o) => round(o["Execution Time"])),
    medianMs: round(quantile(times, 0.5)),
    minMs: round(times[0] ?? Number.NaN),
    maxMs: round(times.at(-1) ?? Number.NaN),
    p25Ms: round(quantile(times, 0.25)),
    p75Ms: round(quantile(times, 0.75)),
    planningMedianMs: round(quantile(planning, 0.5)),
    nodeTypes,
    indexesUsed: [...indexesUsed],
    rows: last.Plan["Actual Rows"] ?? 0,
    sharedHitBlocks: last.Plan["Shared Hit Blocks"] ?? 0,
    sharedReadBlocks: last.Plan["Shared Read Blocks"] ?? 0,
    planShape: shapeOf(last.Plan),
    unusedIndexes: existing.filter((name) => !indexesUsed.has(name)).sort(),
    method: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), ${runs} runs after ${warmups} warm-up run(s); server-side Execution Time`,
  };
}
