import { listModelSchemas, readLiveSchema, type LiveSchema } from "@soleflip/catalog";
import { indexKey, type Operation } from "@soleflip/planner";
import { createScratchDatabase, withClient } from "@soleflip/postgres";
import { readSchemaFiles, type PrismaProject } from "@soleflip/project";
import type { RecognisedMigration } from "@soleflip/runner";
import { prismaDiff } from "@soleflip/schema-engine";
import { deparseNode, parseStatements, quoteIdent, quoteQualified, type Node } from "@soleflip/sql";

export interface ExpectedState {
  schemas: string[];
  structure: LiveSchema;
  /** The SQL that built it: the migrations' prerequisites, Prisma's DDL for the schema, then the raw migrations' own objects. */
  prerequisites: string[];
  prismaDdl: string;
  rawObjects: string[];
}

/**
 * What hand-written migrations create that Prisma's DDL may need before it runs: extensions (an operator
 * class, a type, a function a default calls) and functions, minus what later migrations drop. Real
 * projects make their extensions this way rather than through the postgresqlExtensions preview.
 */
export function prerequisitesOf(migrations: readonly RecognisedMigration[]): string[] {
  const objects = new Map<string, string>();
  for (const migration of migrations) {
    for (const operation of migration.operations) {
      if (operation.kind !== "raw") continue;
      for (const statement of operation.statements) {
        const node = statement.node;
        if ("CreateExtensionStmt" in node && node.CreateExtensionStmt.extname) objects.set(`extension:${node.CreateExtensionStmt.extname}`, statement.text);
        else if ("CreateFunctionStmt" in node) objects.set(`function:${(node.CreateFunctionStmt.funcname ?? []).map((n) => ("String" in n ? n.String.sval : "")).join(".")}`, statement.text);
        else if ("DropStmt" in node && node.DropStmt.removeType === "OBJECT_EXTENSION") {
          for (const object of node.DropStmt.objects ?? []) if ("String" in object) objects.delete(`extension:${object.String.sval ?? ""}`);
        }
      }
    }
  }
  return [...objects.values()];
}

/**
 * What the migrations add that the Prisma schema cannot express, replayed in order: partial and
 * expression indexes, and CHECK constraints (inline in CREATE TABLE or added later), minus what later
 * migrations drop or rename. Helper CHECKs that only prove a NOT NULL belong to the NOT NULL operation
 * and never appear here.
 */
export function rawObjectsOf(migrations: readonly RecognisedMigration[]): string[] {
  const objects = new Map<string, string>();
  const indexKeyOf = (schema: string, name: string) => `index:${schema}.${name}`;
  const checkKeyOf = (schema: string, table: string, name: string) => `constraint:${schema}.${table}.${name}`;
  const apply = (operation: Operation): void => {
    switch (operation.kind) {
      case "ensure-index": {
        const index = (operation.node as { IndexStmt: { whereClause?: Node; indexParams?: Node[] } }).IndexStmt;
        const expression = (index.indexParams ?? []).some((param) => "IndexElem" in param && param.IndexElem.expr !== undefined);
        if (index.whereClause || expression) objects.set(indexKeyOf(operation.table.schema, operation.name), operation.createSql.replace("CONCURRENTLY ", ""));
        break;
      }
      case "drop-index":
        objects.delete(indexKeyOf(operation.schema, operation.name));
        break;
      case "rename-index": {
        const sql = objects.get(indexKeyOf(operation.schema, operation.from));
        if (sql) {
          objects.delete(indexKeyOf(operation.schema, operation.from));
          objects.set(indexKeyOf(operation.schema, operation.to), sql.replace(quoteIdent(operation.from), quoteIdent(operation.to)));
        }
        break;
      }
      case "ensure-check":
        objects.set(checkKeyOf(operation.table.schema, operation.table.table, operation.name), `ALTER TABLE ${quoteQualified(operation.table.schema, operation.table.table)} ADD CONSTRAINT ${quoteIdent(operation.name)} CHECK (${operation.expressionSql})`);
        break;
      case "drop-constraint":
        objects.delete(checkKeyOf(operation.table.schema, operation.table.table, operation.name));
        break;
      case "raw":
        for (const statement of operation.statements) {
          const node = statement.node;
          if ("CreateStmt" in node) {
            const relation = node.CreateStmt.relation;
            const schema = relation?.schemaname ?? "public";
            const table = relation?.relname ?? "?";
            for (const element of node.CreateStmt.tableElts ?? []) {
              const constraint = "Constraint" in element ? element.Constraint : undefined;
              if (constraint?.contype === "CONSTR_CHECK" && constraint.conname && constraint.raw_expr) {
                objects.set(checkKeyOf(schema, table, constraint.conname), `ALTER TABLE ${quoteQualified(schema, table)} ADD CONSTRAINT ${quoteIdent(constraint.conname)} CHECK (${deparseNode(constraint.raw_expr)})`);
              }
            }
          }
        }
        break;
      default:
        break;
    }
  };
  for (const migration of migrations) for (const operation of migration.operations) apply(operation);
  return [...objects.values()];
}

/**
 * Builds the state the model describes in a scratch database on the scratch server, by definition:
 * Prisma's own DDL for the schema (its engine, diffing empty → schema), plus the objects only the raw
 * migrations declare. No hand-kept list of expectations exists anywhere.
 */
export async function buildExpectedState(options: { project: PrismaProject; migrations: readonly RecognisedMigration[]; scratchAdminUrl: string }): Promise<ExpectedState> {
  const scratch = await createScratchDatabase(options.scratchAdminUrl, { prefix: "sf_verifier_expected" });
  try {
    const datamodels = await readSchemaFiles(options.project);
    const diff = await prismaDiff({ url: scratch.url, datamodels, configDir: options.project.root, from: { tag: "empty" }, to: { tag: "schema" }, script: true });
    const prismaDdl = diff.text;
    const rawObjects = rawObjectsOf(options.migrations);
    const prerequisites = prerequisitesOf(options.migrations);
    return await withClient(scratch.url, async (client) => {
      // Function bodies may name tables Prisma's DDL has not created yet.
      await client.query("SET check_function_bodies = off");
      // Best effort: a function whose signature names a type Prisma's DDL makes comes too early here, and
      // an extension the server lacks makes Prisma's DDL fail just after, with the error that says so.
      for (const sql of prerequisites) await client.query(sql).catch(() => undefined);
      for (const statement of await parseStatements(prismaDdl, "Prisma's DDL")) await client.query(statement.text);
      for (const sql of rawObjects) await client.query(sql);
      const schemas = await listModelSchemas(client);
      return { schemas, structure: await readLiveSchema(client, schemas), prerequisites, prismaDdl, rawObjects };
    });
  } finally {
    await scratch.drop();
  }
}

export { indexKey };
