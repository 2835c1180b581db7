import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { Readable, Writable } from "node:stream";
import pg from "pg";
import { parseDatabaseUrl } from "@soleflip/postgres";
import { quoteIdent } from "@soleflip/sql";
import { callEngine, openSchemaEngine, toSchemaEngineError, type WasmSchemaEngine } from "./engine.ts";
import { loadWasmSchemaEngine } from "./wasm.ts";

/**
 * A drop-in for Prisma's native `schema-engine` executable (PRISMA_SCHEMA_ENGINE_BINARY): the same
 * argv, JSON-RPC 2.0 over stdin/stdout one message per line, JSON log lines on stderr, but every
 * method answered by the WebAssembly engine. See the package README for what is not supported.
 */
export interface StandInArgs {
  datamodels: string[];
  datasource: { url?: string; shadowDatabaseUrl?: string } | undefined;
  previewFeatures: string[];
  version: boolean;
  cliCommand: string | undefined;
}

/** The native engine's argv, read with node:util's parseArgs (unknown flags are ignored, as the engine ignores them). */
export function parseStandInArgs(argv: readonly string[]): StandInArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      datamodels: { type: "string", multiple: true },
      datasource: { type: "string" },
      "enabled-preview-features": { type: "string" },
      "extension-types": { type: "string" },
      version: { type: "boolean", short: "V" },
    },
  });
  const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
  const datasource = text(values["datasource"]);
  const cli = positionals.indexOf("cli");
  return {
    datamodels: Array.isArray(values["datamodels"]) ? values["datamodels"].filter((v): v is string => typeof v === "string") : [],
    datasource: datasource ? (JSON.parse(datasource) as StandInArgs["datasource"]) : undefined,
    previewFeatures: (text(values["enabled-preview-features"]) ?? "").split(",").filter(Boolean),
    version: values["version"] === true,
    cliCommand: cli >= 0 ? positionals[cli + 1] : undefined,
  };
}

interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export async function runStandIn(argv: readonly string[], io: Io): Promise<number> {
  const args = parseStandInArgs(argv);
  const log = (level: "INFO" | "ERROR", message: string, errorCode?: string): void => {
    io.stderr.write(
      `${JSON.stringify({
        timestamp: new Date().toISOString(),
        level,
        fields: { message, ...(errorCode ? { error_code: errorCode } : {}) },
        target: "schema_engine::logger",
      })}\n`,
    );
  };
  if (args.version) {
    const { version } = await loadWasmSchemaEngine();
    io.stdout.write(`schema-engine-cli ${version()}\n`);
    return 0;
  }
  const url = args.datasource?.url;
  if (args.cliCommand) {
    // The CLI skips the first stderr line of `schema-engine cli` (the native engine's start-up line).
    log("INFO", `Starting schema engine CLI command ${args.cliCommand} (WebAssembly build)`);
    if (!url) {
      log("ERROR", "No datasource URL was given.", "P1012");
      return 1;
    }
    const failure = await runCliCommand(args.cliCommand, url);
    if (failure) {
      log("ERROR", failure.message, failure.code);
      return 1;
    }
    return 0;
  }
  if (!url) {
    log("ERROR", "The datasource has no URL: set DATABASE_URL (prisma.config.ts reads it).", "P1012");
    return 1;
  }
  const datamodels = await Promise.all(
    args.datamodels.map(async (path): Promise<[string, string]> => [path, await readFile(path, "utf8")]),
  );
  const server = new RpcServer(io, () =>
    openSchemaEngine({
      datamodels,
      url,
      shadowDatabaseUrl: args.datasource?.shadowDatabaseUrl,
      onLog: (line) => io.stderr.write(`${line}\n`),
    }),
  );
  const onUncaught = (error: unknown): void => {
    if (!server.failCurrentRequest(error)) {
      log("ERROR", error instanceof Error ? error.message : String(error));
      process.exit(101);
    }
  };
  process.on("uncaughtException", onUncaught);
  try {
    await server.serve();
  } finally {
    process.off("uncaughtException", onUncaught);
  }
  return 0;
}

interface RpcMessage {
  jsonrpc: "2.0";
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

/** CLI method names that differ from the WASM engine's. */
const METHOD_ALIASES: Record<string, string> = { getDatabaseVersion: "version" };

class RpcServer {
  private engine: Promise<WasmSchemaEngine> | undefined;
  private failCurrent: ((error: unknown) => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private nextOutgoingId = 1_000_000;
  private readonly pendingOutgoing = new Map<number, (message: RpcMessage) => void>();

  constructor(
    private readonly io: Io,
    private readonly open: () => Promise<WasmSchemaEngine>,
  ) {}

  async serve(): Promise<void> {
    const lines = createInterface({ input: this.io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      let message: RpcMessage;
      try {
        message = JSON.parse(line) as RpcMessage;
      } catch {
        this.send({ jsonrpc: "2.0", id: 0, error: { code: -32700, message: "Parse error" } });
        continue;
      }
      if (message.method === undefined && typeof message.id === "number") {
        this.pendingOutgoing.get(message.id)?.(message);
        this.pendingOutgoing.delete(message.id);
        continue;
      }
      // One request at a time, in order, as the native engine does.
      this.queue = this.queue.then(() => this.handle(message));
    }
    await this.queue;
  }

  private async handle(request: RpcMessage): Promise<void> {
    const method = request.method ?? "";
    // Some engine failures surface as exceptions thrown from a WASM callback outside the awaited
    // promise; they must still produce an error reply, or the CLI waits or exits 0 having done nothing.
    const settled = new Promise<never>((_, reject) => {
      this.failCurrent = reject;
    });
    try {
      const result = await Promise.race([this.dispatch(method, request.params), settled]);
      this.send({ jsonrpc: "2.0", id: request.id ?? 0, result: result ?? null });
    } catch (caught) {
      this.replyError(request, caught);
    } finally {
      this.failCurrent = undefined;
    }
  }

  /** Routes an uncaught exception to the request being served; false when none is. */
  failCurrentRequest(error: unknown): boolean {
    if (!this.failCurrent) return false;
    // The engine object stays borrowed after such a throw ("recursive use of an object"): start afresh.
    this.engine = undefined;
    this.failCurrent(error);
    return true;
  }

  private replyError(request: RpcMessage, caught: unknown): void {
    const error = toSchemaEngineError(caught);
    this.send({
      jsonrpc: "2.0",
      id: request.id ?? 0,
      error: {
        code: 4466,
        message: "An error happened. Check the data field for details.",
        data: {
          is_panic: error.isPanic,
          message: error.message,
          ...(error.errorCode ? { error_code: error.errorCode } : {}),
          ...(error.meta !== undefined ? { meta: error.meta } : {}),
          backtrace: null,
        },
      },
    });
  }


  private async dispatch(method: string, params: unknown): Promise<unknown> {
    const engine = await (this.engine ??= this.open());
    const name = METHOD_ALIASES[method] ?? method;
    const target = (engine as unknown as Record<string, unknown>)[name];
    if (typeof target !== "function") {
      throw new Error(`The WebAssembly schema engine does not implement "${method}".`);
    }
    // `version` takes an optional input; an empty object fails its deserialisation.
    const input = name === "version" && isEmptyObject(params) ? undefined : params;
    const result = await callEngine(engine, (e) => (target as (p: unknown) => Promise<unknown>).call(e, input));
    if (name === "diff" && isDiffResult(result) && result.stdout !== null) {
      // The CLI prints what the engine asks it to print; a diff returned in the result is ignored.
      await this.request("print", { content: result.stdout });
      return { ...result, stdout: null };
    }
    return result;
  }

  private request(method: string, params: unknown): Promise<RpcMessage> {
    const id = this.nextOutgoingId++;
    return new Promise((resolve) => {
      this.pendingOutgoing.set(id, resolve);
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  private send(message: RpcMessage): void {
    this.io.stdout.write(`${JSON.stringify(message)}\n`);
  }
}

function isEmptyObject(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "object" && Object.keys(value).length === 0);
}

function isDiffResult(value: unknown): value is { exitCode: number; stdout: string | null } {
  return typeof value === "object" && value !== null && "exitCode" in value && "stdout" in value;
}

/** `schema-engine cli <command>`: connection checks and database creation, answered over pg. */
async function runCliCommand(command: string, url: string): Promise<{ code: string; message: string } | undefined> {
  const fields = parseDatabaseUrl(url);
  const where = `${fields.host}:${fields.port}`;
  const connect = async (database: string): Promise<pg.Client> => {
    const client = new pg.Client({ ...fields, database, connectionTimeoutMillis: 10_000 });
    client.on("error", () => undefined);
    await client.connect();
    return client;
  };
  const describe = (error: unknown): { code: string; message: string } => {
    const code = (error as { code?: string }).code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "EHOSTUNREACH") {
      return { code: "P1001", message: `Can't reach database server at \`${where}\`` };
    }
    if (code === "28P01" || code === "28000") {
      return { code: "P1000", message: `Authentication failed against database server at \`${where}\`, the provided database credentials for \`${fields.user}\` are not valid.` };
    }
    if (code === "3D000") {
      return { code: "P1003", message: `Database \`${fields.database}\` does not exist on the database server at \`${where}\`.` };
    }
    if (code === "42P04") {
      return { code: "P1009", message: `Database \`${fields.database}\` already exists on the database server at \`${where}\`` };
    }
    return { code: "P1000", message: (error as Error).message ?? String(error) };
  };
  try {
    switch (command) {
      case "can-connect-to-database": {
        const client = await connect(fields.database);
        await client.end();
        return undefined;
      }
      case "create-database":
      case "drop-database": {
        const client = await connect("postgres");
        try {
          const verb = command === "create-database" ? "CREATE DATABASE" : "DROP DATABASE";
          await client.query(`${verb} ${quoteIdent(fields.database)}`);
        } finally {
          await client.end();
        }
        return undefined;
      }
      default:
        return { code: "P1000", message: `Unknown schema-engine cli command "${command}".` };
    }
  } catch (error) {
    return describe(error);
  }
}
