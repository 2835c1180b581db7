import { callEngine, openSchemaEngine, SchemaEngineError } from "./engine.ts";
import { userErrorOf } from "./prisma-errors.ts";
import { noSchemaFilter, readMigrationList } from "./migration-list.ts";

/**
 * One side of Prisma's diff: nothing, the Prisma schema, the database the engine is connected to
 * (introspected), or a migrations folder (replayed into a shadow database on the connection's server).
 */
export type DiffSide = { tag: "empty" } | { tag: "schema" } | { tag: "database" } | { tag: "migrations"; dir: string };

export interface DiffOptions {
  /** The database the engine connects to (introspected for "database", shadow server for "migrations"). */
  url: string;
  /** The schema's files as [path, content]. */
  datamodels: Array<[string, string]>;
  configDir: string;
  from: DiffSide;
  to: DiffSide;
  /** SQL (true) or Prisma's summary of the differences (false). */
  script: boolean;
  /** The connected database is only read (introspection): its sessions are read-only. */
  readOnly?: boolean;
}

/** `prisma migrate diff` in-process, through the WebAssembly engine: whether the sides differ, and the SQL or summary. */
export async function prismaDiff(options: DiffOptions): Promise<{ differs: boolean; text: string }> {
  return await diffOnce(options).catch((error: unknown) => {
    throw error instanceof SchemaEngineError ? userErrorOf(error) : error;
  });
}

async function diffOnce(options: DiffOptions): Promise<{ differs: boolean; text: string }> {
  const files = options.datamodels.map(([path, content]) => ({ path, content }));
  const side = async (target: DiffSide) => {
    switch (target.tag) {
      case "empty":
        return { tag: "empty" as const };
      case "schema":
        return { tag: "schemaDatamodel" as const, files };
      case "database":
        return { tag: "schemaDatasource" as const, files, configDir: options.configDir };
      case "migrations":
        return { tag: "migrations" as const, ...(await readMigrationList(target.dir)) };
    }
  };
  const engine = await openSchemaEngine({ datamodels: options.datamodels, url: options.url, readOnly: options.readOnly === true });
  try {
    const from = await side(options.from);
    const to = await side(options.to);
    const result = await callEngine(engine, (e) => e.diff({ from, to, script: options.script, exitCode: true, filters: noSchemaFilter }));
    return { differs: result.exitCode !== 0, text: result.exitCode === 0 ? "" : (result.stdout ?? "").trim() };
  } finally {
    await engine.close();
  }
}
