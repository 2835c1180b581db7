import { randomUUID } from "node:crypto";
import {
  DriverAdapterError,
  type ArgType,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { createOwnedDatabase, dropOwnedDatabase, parseDatabaseUrl, type ConnectionFields } from "@soleflip/postgres";
import { mustRunOutsideTransaction, parseStatements } from "@soleflip/sql";
import { columnTypeOf, engineTypeParsers } from "./column-types.ts";
import { toDriverAdapterError } from "./driver-errors.ts";

const ADAPTER_NAME = "@soleflip/schema-engine-pg";

type Queryable = pg.Pool | pg.PoolClient;

class PgQueryable {
  readonly provider = "postgres" as const;
  readonly adapterName = ADAPTER_NAME;

  constructor(protected readonly client: Queryable) {}

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    const result = await this.run(query);
    return {
      columnNames: result.fields.map((field) => field.name),
      columnTypes: result.fields.map((field) => columnTypeOf(field.dataTypeID)),
      rows: result.rows as unknown[][],
    };
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    return (await this.run(query)).rowCount ?? 0;
  }

  private async run(query: SqlQuery): Promise<pg.QueryResult> {
    const values = query.args.map((arg, i) => toDriverValue(arg, query.argTypes[i]));
    try {
      return await this.client.query({ text: query.sql, values, rowMode: "array", types: engineTypeParsers });
    } catch (error) {
      throw toDriverAdapterError(error);
    }
  }
}

function toDriverValue(arg: unknown, argType: ArgType | undefined): unknown {
  if (arg === null || arg === undefined) return null;
  if (Array.isArray(arg) && argType?.arity === "list") return arg.map((value) => toDriverValue(value, argType));
  if (typeof arg === "string" && argType?.scalarType === "bytes") return Buffer.from(arg, "base64");
  if (typeof arg === "string" && argType?.scalarType === "datetime") return new Date(arg).toISOString();
  if (arg instanceof Date) return arg.toISOString();
  if (ArrayBuffer.isView(arg)) return new Uint8Array(arg.buffer, arg.byteOffset, arg.byteLength);
  return arg;
}

class PgTransaction extends PgQueryable implements Transaction {
  readonly options = { usePhantomQuery: false };

  constructor(private readonly connection: pg.PoolClient) {
    super(connection);
  }

  async commit(): Promise<void> {
    this.connection.release();
  }

  async rollback(): Promise<void> {
    this.connection.release();
  }
}

class PgAdapter extends PgQueryable implements SqlDriverAdapter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schemaName: string | undefined,
    private readonly onDispose: () => Promise<void>,
  ) {
    super(pool);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const connection = await this.pool.connect().catch((error: unknown) => {
      throw toDriverAdapterError(error);
    });
    try {
      await connection.query("BEGIN");
      if (isolationLevel) await connection.query(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
    } catch (error) {
      connection.release(error as Error);
      throw toDriverAdapterError(error);
    }
    return new PgTransaction(connection);
  }

  /**
   * Runs a migration script the way Prisma's native engine does: the whole script as one simple query
   * (PostgreSQL runs it as one implicit transaction), unless a statement refuses to run inside a
   * transaction block (CREATE INDEX CONCURRENTLY, ...): then statement by statement, in order.
   * Statements are found by PostgreSQL's own parser, never by splitting on semicolons.
   */
  async executeScript(script: string): Promise<void> {
    const statements = await parseStatements(script, "migration script").catch(() => undefined);
    const connection = await this.pool.connect().catch((error: unknown) => {
      throw toDriverAdapterError(error);
    });
    try {
      if (statements?.some((statement) => mustRunOutsideTransaction(statement.node))) {
        for (const statement of statements) await connection.query(statement.text);
      } else {
        await connection.query(script);
      }
    } catch (error) {
      throw toDriverAdapterError(error);
    } finally {
      connection.release();
    }
  }

  getConnectionInfo(): { schemaName?: string; supportsRelationJoins: boolean } {
    return { ...(this.schemaName ? { schemaName: this.schemaName } : {}), supportsRelationJoins: true };
  }

  async dispose(): Promise<void> {
    await this.onDispose();
  }
}

export interface PgAdapterFactoryOptions {
  url: string;
  /** An existing database to use as the shadow database instead of a temporary one. */
  shadowDatabaseUrl?: string | undefined;
  /** Sessions on `url` are read-only (default_transaction_read_only): introspection of a database one must not change. */
  readOnly?: boolean;
}

function poolFor(fields: ConnectionFields, database?: string, readOnly = false): pg.Pool {
  const pool = new pg.Pool({
    ...fields,
    ...(database ? { database } : {}),
    ...(readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
    max: 4,
    application_name: "soleflip-schema-engine",
    // The WASM engine does not dispose its adapter when freed; idle pools must not keep a CLI alive.
    allowExitOnIdle: true,
  });
  pool.on("error", () => undefined);
  return pool;
}

/**
 * The driver adapter the WASM schema engine talks through, on node-postgres. Unlike adapter-pg 7.10.1
 * it gives the shadow database its own discrete connection fields (a connection string would win over
 * the database override and replay migrations into the main database), and it closes the shadow pool
 * before dropping the shadow database, WITH (FORCE), over a separate connection, so none leak.
 */
export class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = ADAPTER_NAME;
  private readonly fields: ConnectionFields;
  private readonly schemaName: string | undefined;

  constructor(private readonly options: PgAdapterFactoryOptions) {
    this.fields = parseDatabaseUrl(options.url);
    this.schemaName = new URL(options.url).searchParams.get("schema") ?? undefined;
  }

  /** Pools on the main database; the engine never disposes them (see poolFor), so its owner ends them. */
  private readonly pools = new Set<pg.Pool>();

  async connect(): Promise<SqlDriverAdapter> {
    const pool = poolFor(this.fields, undefined, this.options.readOnly === true);
    this.pools.add(pool);
    return new PgAdapter(pool, this.schemaName, async () => {
      this.pools.delete(pool);
      await pool.end();
    });
  }

  /** Ends the connections the engine left open, so that the database can be copied or dropped right after. */
  async closePools(): Promise<void> {
    const open = [...this.pools];
    this.pools.clear();
    await Promise.all(open.map((pool) => pool.end().catch(() => undefined)));
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.options.shadowDatabaseUrl) {
      const pool = poolFor(parseDatabaseUrl(this.options.shadowDatabaseUrl));
      return new PgAdapter(pool, undefined, () => pool.end());
    }
    // Marked as ours like every scratch database, so that a killed run's shadow is swept later.
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await this.admin(() => createOwnedDatabase(this.options.url, name, "scratch"));
    const pool = poolFor(this.fields, name);
    return new PgAdapter(pool, undefined, async () => {
      await pool.end();
      await this.admin(() => dropOwnedDatabase(this.options.url, name));
    });
  }

  private async admin(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw error instanceof DriverAdapterError ? error : toDriverAdapterError(error);
    }
  }
}
