import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PgMigrationAdapterFactory } from "./pg-adapter.ts";
import { loadWasmSchemaEngine, takePanicMessage, type WasmSchemaEngine } from "./wasm.ts";

export interface OpenEngineOptions {
  /** Prisma schema files as [path, content]; omit for commands that need none. */
  datamodels?: Array<[string, string]> | undefined;
  url: string;
  shadowDatabaseUrl?: string | undefined;
  /** Open the database read-only (introspection only). */
  readOnly?: boolean;
  /** Receives the engine's log lines (JSON strings, as the native engine writes to stderr). */
  onLog?: (line: string) => void;
}

export type { WasmSchemaEngine };

/** Error raised by an engine call, with Prisma's error code when the engine gave one. */
export class SchemaEngineError extends Error {
  readonly errorCode: string | undefined;
  readonly isPanic: boolean;
  readonly meta: unknown;

  constructor(message: string, init: { errorCode?: string | undefined; isPanic: boolean; meta?: unknown }) {
    super(message);
    this.name = "SchemaEngineError";
    this.errorCode = init.errorCode;
    this.isPanic = init.isPanic;
    this.meta = init.meta;
  }
}

/** Normalises whatever an engine call threw (a JS error, an engine error object, a panic). */
export function toSchemaEngineError(error: unknown): SchemaEngineError {
  if (error instanceof SchemaEngineError) return error;
  const panic = takePanicMessage();
  if (panic !== undefined) return new SchemaEngineError(panic, { isPanic: true });
  const record = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const errorCode = typeof record["error_code"] === "string" ? record["error_code"] : typeof record["code"] === "string" && /^P\d{4}$/.test(record["code"]) ? record["code"] : undefined;
  const message = typeof record["message"] === "string" ? record["message"] : String(error);
  return new SchemaEngineError(message, { errorCode, isPanic: false, meta: record["meta"] });
}

/** Opens Prisma's schema engine (WebAssembly build) over our node-postgres driver adapter. */
export async function openSchemaEngine(options: OpenEngineOptions): Promise<OpenedSchemaEngine> {
  const { SchemaEngine } = await loadWasmSchemaEngine();
  const adapters = new PgMigrationAdapterFactory({ url: options.url, shadowDatabaseUrl: options.shadowDatabaseUrl, readOnly: options.readOnly === true });
  const factory = bindMigrationAwareSqlAdapterFactory(adapters);
  const onLog = options.onLog ?? (() => undefined);
  try {
    // An empty list of datamodels panics inside the engine: commands without a schema pass undefined.
    const engine = await SchemaEngine.new(
      { datamodels: options.datamodels && options.datamodels.length > 0 ? options.datamodels : undefined },
      (line: unknown) => onLog(typeof line === "string" ? line : JSON.stringify(line)),
      factory,
    );
    return Object.assign(engine, {
      close: async () => {
        engine.free();
        await adapters.closePools();
      },
    });
  } catch (error) {
    await adapters.closePools();
    throw toSchemaEngineError(error);
  }
}

/** The engine, with `close()`: frees it and ends its connections. */
export type OpenedSchemaEngine = WasmSchemaEngine & { close(): Promise<void> };

/** Calls one engine method by its RPC name, turning failures and panics into SchemaEngineError. */
export async function callEngine<T>(engine: WasmSchemaEngine, run: (engine: WasmSchemaEngine) => Promise<T>): Promise<T> {
  try {
    return await run(engine);
  } catch (error) {
    throw toSchemaEngineError(error);
  }
}
