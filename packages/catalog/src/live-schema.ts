import type pg from "pg";
import { catalogSql } from "./load-sql.ts";

/** Referential action codes as pg_constraint stores them. */
export type ReferentialAction = "a" | "r" | "c" | "n" | "d";

export const REFERENTIAL_ACTION_NAMES: Record<ReferentialAction, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

export interface LiveForeignKey {
  schema: string;
  table: string;
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
  validated: boolean;
  definition: string;
}

export interface LiveIndex {
  schema: string;
  table: string;
  name: string;
  definition: string;
  predicate: string | null;
  columns: string[];
  method: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  ready: boolean;
  backsConstraint: boolean;
  estimatedRows: number;
  /** A partition's index: the partitioned table's index it is attached to. */
  parentIndex: { schema: string; name: string } | null;
}

export interface LiveColumn {
  schema: string;
  table: string;
  name: string;
  position: number;
  type: string;
  /** NOT NULL and proven for every row. */
  notNull: boolean;
  /** PostgreSQL 18: a NOT NULL constraint added NOT VALID and not yet validated. */
  invalidNotNull: string | null;
  default: string | null;
  /** The sequence the column owns (serial or identity), with the type it counts in. */
  sequence: { schema: string; name: string; type: string } | null;
}

export interface LiveConstraint {
  schema: string;
  table: string;
  name: string;
  kind: "p" | "u" | "c" | "x";
  definition: string;
  validated: boolean;
  columns: string[];
}

export interface LiveTable {
  schema: string;
  table: string;
  estimatedRows: number;
  totalBytes: number;
  /** A partitioned parent: its rows live in its partitions. */
  partitioned: boolean;
  /** Set for a partition: the partitioned table it belongs to. */
  parent: { schema: string; table: string } | null;
}

export interface LiveEnum {
  schema: string;
  name: string;
  labels: string[];
}

export interface LiveSchema {
  schemas: string[];
  tables: LiveTable[];
  columns: LiveColumn[];
  foreignKeys: LiveForeignKey[];
  constraints: LiveConstraint[];
  indexes: LiveIndex[];
  enums: LiveEnum[];
}

type Queryable = Pick<pg.ClientBase, "query">;

/**
 * Reads everything the tools compare by definition, for the given schemas, in a fixed number of
 * catalog queries (one per kind of object), whatever the number of tables.
 */
export async function readLiveSchema(client: Queryable, schemas: readonly string[]): Promise<LiveSchema> {
  const params = [schemas];
  const run = async <T extends pg.QueryResultRow>(name: string) => (await client.query<T>(catalogSql(name), params)).rows;
  const schemaRows = await run<{ name: string }>("schemas");
  const tables = await run<{ schema: string; table: string; estimated_rows: string; total_bytes: string; partitioned: boolean; parent_schema: string | null; parent_table: string | null }>("tables");
  const columns = await run<{ schema: string; table: string; name: string; position: number; type: string; not_null: boolean; invalid_not_null: string | null; default: string | null;
    sequence_schema: string | null; sequence_name: string | null; sequence_type: string | null;
  }>("columns");
  const foreignKeys = await run<{
    schema: string; table: string; name: string; columns: string[]; ref_schema: string; ref_table: string;
    ref_columns: string[]; on_delete: ReferentialAction; on_update: ReferentialAction; validated: boolean; definition: string;
  }>("foreign-keys");
  const constraints = await run<{ schema: string; table: string; name: string; kind: LiveConstraint["kind"]; definition: string; validated: boolean; columns: string[] }>("constraints");
  const indexes = await run<{
    schema: string; table: string; name: string; definition: string; predicate: string | null; columns: string[];
    method: string; unique: boolean; primary: boolean; valid: boolean; ready: boolean; backs_constraint: boolean; estimated_rows: string; parent_index_schema: string | null; parent_index_name: string | null;
  }>("indexes");
  const enums = await run<LiveEnum>("enums");
  return {
    schemas: schemaRows.map((row) => row.name),
    tables: tables.map((row) => ({
      schema: row.schema, table: row.table, estimatedRows: Number(row.estimated_rows), totalBytes: Number(row.total_bytes), partitioned: row.partitioned,
      parent: row.parent_schema && row.parent_table ? { schema: row.parent_schema, table: row.parent_table } : null,
    })),
    columns: columns.map((row) => ({
      schema: row.schema, table: row.table, name: row.name, position: row.position, type: row.type, notNull: row.not_null, invalidNotNull: row.invalid_not_null, default: row.default,
      sequence: row.sequence_schema && row.sequence_name && row.sequence_type ? { schema: row.sequence_schema, name: row.sequence_name, type: row.sequence_type } : null,
    })),
    foreignKeys: foreignKeys.map((row) => ({
      schema: row.schema, table: row.table, name: row.name, columns: row.columns, refSchema: row.ref_schema, refTable: row.ref_table,
      refColumns: row.ref_columns, onDelete: row.on_delete, onUpdate: row.on_update, validated: row.validated, definition: row.definition,
    })),
    constraints,
    indexes: indexes.map((row) => ({
      schema: row.schema, table: row.table, name: row.name, definition: row.definition, predicate: row.predicate, columns: row.columns,
      method: row.method, unique: row.unique, primary: row.primary, valid: row.valid, ready: row.ready, backsConstraint: row.backs_constraint,
      estimatedRows: Number(row.estimated_rows),
      parentIndex: row.parent_index_schema && row.parent_index_name ? { schema: row.parent_index_schema, name: row.parent_index_name } : null,
    })),
    enums,
  };
}

export function qualified(schema: string, table: string): string {
  return `${schema}.${table}`;
}

/** The schemas that are not PostgreSQL's own; `withoutPublic` leaves out public (where our bookkeeping lives). */
export async function listUserSchemas(client: Queryable, options: { withoutPublic?: boolean } = {}): Promise<string[]> {
  return (await client.query<{ name: string }>(catalogSql("user-schemas"), [options.withoutPublic === true])).rows.map((row) => row.name);
}

/** Every sequence of the user's schemas, by schema and name. */
export async function listSequences(client: Queryable): Promise<Array<{ schema: string; name: string }>> {
  return (await client.query<{ schema: string; name: string }>(catalogSql("sequences"))).rows;
}

/** The schemas a model's objects live in (public only when it holds some of them). */
export async function listModelSchemas(client: Queryable): Promise<string[]> {
  return (await client.query<{ name: string }>(catalogSql("model-schemas"))).rows.map((row) => row.name);
}

/** readLiveSchema over every user schema. */
export async function readWholeLiveSchema(client: Queryable): Promise<LiveSchema> {
  return readLiveSchema(client, await listUserSchemas(client));
}

/**
 * The schema as Prisma models it: a leaf partition is not a model of its own (Prisma introspects the
 * partitioned tables, not their leaves), so the leaves, and the columns, keys, constraints and indexes
 * they carry as copies of their parent's, are left out. Partitioned tables, leaves' parents included, stay.
 */
export function withoutLeafPartitions(live: LiveSchema): LiveSchema {
  const leaves = new Set(live.tables.filter((t) => t.parent !== null && !t.partitioned).map((t) => `${t.schema}.${t.table}`));
  if (leaves.size === 0) return live;
  const kept = <T extends { schema: string; table: string }>(rows: T[]) => rows.filter((row) => !leaves.has(`${row.schema}.${row.table}`));
  return { ...live, tables: kept(live.tables), columns: kept(live.columns), foreignKeys: kept(live.foreignKeys), constraints: kept(live.constraints), indexes: kept(live.indexes) };
}
