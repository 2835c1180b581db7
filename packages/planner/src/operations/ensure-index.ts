import type { LiveIndex, LiveSchema, LiveTable } from "@soleflip/catalog";
import { deparseNode, deparseWithRelation, quoteIdent, type IndexStmt, type Node } from "@soleflip/sql";
import { indexKey, liveIndexKey } from "../equivalence.ts";
import { tableName, type EnsureIndex } from "../operations.ts";
import { countedCheck } from "../preflight-query.ts";
import { columnsOf, findColumn, partitionIndexName, partitionsOf, quoteInSchema, quoteTable, sameTable, tableExists, tableOf } from "../sql-parts.ts";
import type { AddedColumn, OperationModule, PlannedOperation, PreflightResult, Step } from "../types.ts";

/**
 * An index with this definition (table, method, columns, predicate, uniqueness), valid. Built
 * CONCURRENTLY IF NOT EXISTS (reads and writes continue); an index of the same name left INVALID by an
 * interrupted build is dropped concurrently and rebuilt; an equivalent index under another name is
 * renamed instead of built twice.
 */
export const ensureIndex: OperationModule<"ensure-index"> = {
  kind: "ensure-index",
  summary: "An index by definition, built CONCURRENTLY; INVALID leftovers rebuilt; equivalent ones renamed.",
  recognise(fragments) {
    for (const fragment of fragments.statements("IndexStmt")) {
      const node = fragment.statement.node;
      if (!("IndexStmt" in node)) continue;
      const index = node.IndexStmt;
      if (!index.idxname) {
        fragments.problem(fragment.statement, "name the index (CREATE INDEX <name> ON …) so that it can be found by definition and resumed");
        fragments.discard([fragment]);
        continue;
      }
      const target = tableOf(index.relation);
      const params = (index.indexParams ?? []).flatMap((param) => ("IndexElem" in param ? [param.IndexElem] : []));
      fragments.claim([fragment], {
        kind: "ensure-index",
        id: `ensure-index:${target.schema}.${index.idxname}`,
        statements: [fragment.statement],
        table: target,
        name: index.idxname,
        unique: index.unique === true,
        node,
        columnsSql: params.map((elem) => (elem.name ? quoteIdent(elem.name) : elem.expr ? `(${deparseNode(elem.expr)})` : "?")),
        columns: [...new Set(params.flatMap((elem) => (elem.name ? [elem.name] : columnsOf(elem.expr))))],
        predicateSql: index.whereClause ? deparseNode(index.whereClause) : null,
        createSql: concurrentCreateIndexSql(index, quoteTable(target)),
      });
    }
  },
  plan: planIndex,
  async preflight(operation, { client, live, migration, addedColumns }) {
    if (!operation.unique || !tableExists(live, operation.table)) return [];
    return [await duplicates(operation, client, live, migration, addedColumns)];
  },
  managedObjects(operation, structures) {
    const names = new Set([operation.name]);
    const wanted = indexKey(operation.node);
    for (const structure of structures) {
      for (const index of structure.indexes) if (index.schema === operation.table.schema && liveIndexKey(index.definition) === wanted) names.add(index.name);
    }
    return [...names].map((name) => ({ kind: "index" as const, name: `${operation.table.schema}.${name}` }));
  },
  alternative: () => undefined,
};

/** The statement made `CONCURRENTLY IF NOT EXISTS`, deparsed from its parse tree. */
export function concurrentCreateIndexSql(index: IndexStmt, quotedTable: string): string {
  const copy = structuredClone(index);
  copy.concurrent = true;
  copy.if_not_exists = true;
  return deparseWithRelation({ IndexStmt: copy } as Node, copy as { relation?: unknown }, quotedTable).replace(/\s*\n\s*/g, " ");
}

function buildStep(operation: EnsureIndex): Step {
  return {
    description: `build ${operation.name} CONCURRENTLY (reads and writes continue)`,
    sql: [operation.createSql],
    transactional: false,
    lock: "SHARE UPDATE EXCLUSIVE",
    tables: [tableName(operation.table)],
    hazards: ["INDEX_BUILD", "NON_TRANSACTIONAL"],
    progress: { kind: "index-build", index: `${operation.table.schema}.${operation.name}` },
  };
}

export function dropIndexConcurrentlyStep(schema: string, name: string, table: string, description = `drop ${name} CONCURRENTLY`, implicitSchema = false): Step {
  return {
    description,
    sql: [`DROP INDEX CONCURRENTLY IF EXISTS ${quoteInSchema(schema, implicitSchema, name)}`],
    transactional: false,
    lock: "SHARE UPDATE EXCLUSIVE",
    tables: [table],
    hazards: ["NON_TRANSACTIONAL"],
  };
}

function planIndex(operation: EnsureIndex, { live }: { live: LiveSchema }): PlannedOperation {
  const parent = live.tables.find((table) => sameTable(table, operation.table));
  if (parent?.partitioned) return planPartitionedIndex(operation, parent, live);
  const wanted = indexKey(operation.node);
  const onTable = live.indexes.filter((index) => sameTable(index, operation.table));
  const sameName = onTable.find((index) => index.name === operation.name);
  const equivalent = onTable.filter((index) => liveIndexKey(index.definition) === wanted);
  const table = tableName(operation.table);
  if (sameName && equivalent.includes(sameName)) {
    if (sameName.valid && sameName.ready) return { operation, status: "present", found: `${operation.name} exists with the same definition`, steps: [] };
    return {
      operation,
      status: "partial",
      found: `${operation.name} exists but is INVALID (an interrupted concurrent build)`,
      steps: [dropIndexConcurrentlyStep(operation.table.schema, operation.name, table, `drop the INVALID ${operation.name} CONCURRENTLY`, operation.table.implicit), buildStep(operation)],
      rebuildsInvalidIndex: true,
    };
  }
  const validOther = equivalent.find((index: LiveIndex) => index.valid && index.ready && !index.backsConstraint);
  if (!sameName && validOther) {
    return {
      operation,
      status: "partial",
      found: `the same index exists as ${validOther.name}`,
      steps: [{
        description: `rename ${validOther.name} to ${operation.name}`,
        sql: [`ALTER INDEX ${quoteInSchema(operation.table.schema, operation.table.implicit, validOther.name)} RENAME TO ${quoteIdent(operation.name)}`],
        transactional: true,
        lock: "SHARE UPDATE EXCLUSIVE",
        tables: [table],
        hazards: [],
      }],
    };
  }
  if (sameName) {
    return { operation, status: "partial", found: `${operation.name} exists with another definition: ${sameName.definition}`, steps: [dropIndexConcurrentlyStep(operation.table.schema, operation.name, table, undefined, operation.table.implicit), buildStep(operation)] };
  }
  return { operation, status: "absent", found: "no such index", steps: [buildStep(operation)] };
}

/**
 * CREATE INDEX CONCURRENTLY cannot build an index on a partitioned table, and a plain CREATE INDEX holds
 * SHARE on every partition (writes stop) for the whole build. So, as PostgreSQL's documentation advises:
 * the index is made on the parent alone (`ON ONLY`: no rows, instant, left invalid), built CONCURRENTLY
 * on each partition, and each partition's index attached; the parent's index becomes valid once every
 * partition has one. Sub-partitioned partitions get the same treatment, recursively. Every step is
 * idempotent (IF NOT EXISTS; attaching an attached index does nothing), so a run resumes where it stopped.
 */
function planPartitionedIndex(operation: EnsureIndex, parent: LiveTable, live: LiveSchema): PlannedOperation {
  const existing = live.indexes.find((index) => sameTable(index, operation.table) && index.name === operation.name);
  if (existing?.valid) return { operation, status: "present", found: `${operation.name} exists on the partitioned table and every partition`, steps: [] };
  const index = (operation.node as { IndexStmt: IndexStmt }).IndexStmt;
  const steps = partitionedSteps(index, operation.name, { schema: parent.schema, table: parent.table, implicit: operation.table.implicit }, live, operation.table.implicit === true);
  return {
    operation,
    status: existing ? "partial" : "absent",
    found: existing ? `${operation.name} exists but not yet on every partition` : `no such index; ${tableName(operation.table)} is partitioned (${countLeaves(parent, live)} partitions)`,
    steps,
  };
}

function partitionedSteps(index: IndexStmt, name: string, table: { schema: string; table: string; implicit?: boolean }, live: LiveSchema, implicitSchema: boolean): Step[] {
  const qualified = `${table.schema}.${table.table}`;
  const onOnly = structuredClone(index);
  onOnly.idxname = name;
  onOnly.concurrent = false;
  onOnly.if_not_exists = true;
  const steps: Step[] = [{
    description: `create ${name} on ${qualified} alone (ON ONLY: no rows are read; it becomes valid when every partition's index is attached)`,
    sql: [deparseWithRelation({ IndexStmt: onOnly } as Node, onOnly as { relation?: unknown }, `ONLY ${quoteTable(table)}`).replace(/\s*\n\s*/g, " ")],
    transactional: true,
    lock: "SHARE",
    tables: [qualified],
    onlyNamedTables: true,
    hazards: [],
  }];
  const parentIndex = quoteInSchema(table.schema, implicitSchema, name);
  for (const partition of partitionsOf(live, table)) {
    const partitionName = `${partition.schema}.${partition.table}`;
    const onPartition = live.indexes.filter((candidate) => sameTable(candidate, { schema: partition.schema, table: partition.table }));
    const attached = onPartition.find((candidate) => candidate.parentIndex?.schema === table.schema && candidate.parentIndex.name === name);
    // An unattached index on the partition may be ours from an interrupted run: its name is not "taken".
    const taken = new Set(live.indexes.filter((i) => i.schema === partition.schema && !(onPartition.includes(i) && i.parentIndex === null)).map((i) => i.name));
    const childName = attached?.name ?? partitionIndexName(partition.table, indexColumnNames(index), index.unique === true, taken);
    const child = { schema: partition.schema, table: partition.table };
    const leftover = live.indexes.find((candidate) => sameTable(candidate, child) && candidate.name === childName && !(candidate.valid && candidate.ready));
    if (partition.partitioned) {
      steps.push(...partitionedSteps(index, childName, child, live, false));
    } else {
      if (leftover) steps.push(dropIndexConcurrentlyStep(partition.schema, childName, partitionName, `drop the INVALID ${childName} CONCURRENTLY`));
      const copy = structuredClone(index);
      copy.idxname = childName;
      steps.push({
        description: `build ${childName} on partition ${partitionName} CONCURRENTLY (reads and writes continue)`,
        sql: [concurrentCreateIndexSql(copy, quoteTable(child))],
        transactional: false,
        lock: "SHARE UPDATE EXCLUSIVE",
        tables: [partitionName],
        hazards: ["INDEX_BUILD", "NON_TRANSACTIONAL"],
        progress: { kind: "index-build", index: `${partition.schema}.${childName}` },
      });
    }
    steps.push({
      // The tables are only read; the partition's new index is held ACCESS EXCLUSIVE for the moment of attaching.
      description: `attach ${childName} to ${name} (milliseconds)`,
      sql: [`ALTER INDEX ${parentIndex} ATTACH PARTITION ${quoteInSchema(partition.schema, false, childName)}`],
      transactional: true,
      lock: "ACCESS SHARE",
      tables: [partitionName, qualified],
      onlyNamedTables: true,
      hazards: [],
    });
  }
  return steps;
}

/** ChooseIndexColumnNames: a column's name, or "expr" for an expression. */
function indexColumnNames(index: IndexStmt): string[] {
  return (index.indexParams ?? []).flatMap((param) => ("IndexElem" in param ? [param.IndexElem.name ?? "expr"] : []));
}

function countLeaves(table: LiveTable, live: LiveSchema): number {
  return partitionsOf(live, table).reduce((sum, child) => sum + (child.partitioned ? countLeaves(child, live) : 1), 0);
}

/**
 * Values a unique index would find twice. Columns this migration adds cannot be read yet: each stands
 * for its default (NULL when it has none, which never collides).
 */
async function duplicates(operation: EnsureIndex, client: Parameters<typeof countedCheck>[0], live: LiveSchema, migration: string, addedColumns: readonly AddedColumn[]): Promise<PreflightResult> {
  const addedOnTable = addedColumns.filter((a) => sameTable(a.table, operation.table));
  const node = (operation.node as { IndexStmt: IndexStmt }).IndexStmt;
  const params = (node.indexParams ?? []).flatMap((param) => ("IndexElem" in param ? [param.IndexElem] : []));
  const base = { id: `duplicates:${operation.table.schema}.${operation.name}`, migration, operationId: operation.id, check: "duplicates" as const, table: tableName(operation.table), columns: operation.columnsSql };
  const values = params.map((elem, i) => {
    const added = elem.name ? addedOnTable.find((a) => a.column === elem.name) : undefined;
    if (added) return added.defaultSql ?? "NULL";
    // A column an earlier step of the run makes (a rename in a switch's transaction): checked when the index is built.
    if (elem.name && !findColumn(live, operation.table, elem.name)) return undefined;
    if (!elem.name && columnsOf(elem.expr).some((column) => addedOnTable.some((a) => a.column === column))) return undefined;
    return operation.columnsSql[i] ?? "NULL";
  });
  if (values.some((value) => value === undefined)) {
    return { ...base, count: 0, sampleKeys: [], passed: true, sql: "", message: "the index reads a column an earlier step of this run makes; checked when the index is built" };
  }
  const predicate = operation.predicateSql ? ` AND (${operation.predicateSql})` : "";
  const nonNull = values.map((value) => `(${value}) IS NOT NULL`).join(" AND ");
  const fromWhere = `FROM (SELECT ${values.map((value, i) => `(${value}) AS k${i}`).join(", ")} FROM ${quoteTable(operation.table)} WHERE ${nonNull}${predicate} GROUP BY ${values.map((_, i) => i + 1).join(", ")} HAVING count(*) > 1) AS d`;
  return countedCheck(client, base, fromWhere, values.map((_, i) => `d.k${i}::text`).join(` || ',' || `), (count) =>
    count === 0 ? `no duplicate (${operation.columnsSql.join(", ")}) values` : `${count} duplicated value(s) of (${operation.columnsSql.join(", ")}) in ${tableName(operation.table)}; unique index ${operation.name} cannot be built`,
  );
}
