import { readFile } from "node:fs/promises";
import { listUserSchemas, readLiveSchema, type LiveSchema } from "@soleflip/catalog";
import { ToolkitError } from "@soleflip/core";
import type { LocalMigration } from "@soleflip/migrator";
import { createScratchDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { callEngine, noSchemaFilter, openSchemaEngine } from "@soleflip/schema-engine";
import { deparseNode, parseStatements, type Node } from "@soleflip/sql";

export interface ExpectedState {
  schemas: string[];
  structure: LiveSchema;
  /** The SQL that built it: Prisma's DDL for the schema, then the raw migrations' own objects. */
  prismaDdl: string;
  rawObjects: string[];
}

type RangeVar = { schemaname?: string; relname?: string };

const qualified = (relation: RangeVar | undefined) => `"${relation?.schemaname ?? "public"}"."${relation?.relname ?? "?"}"`;

/**
 * What the raw migrations add that the Prisma schema cannot express, replayed in order: partial indexes
 * and CHECK constraints (inline in CREATE TABLE or added later), minus what later migrations drop.
 * Helper CHECKs that only exist to prove a NOT NULL (added, then dropped) cancel out.
 */
export function rawObjectsOf(migrations: readonly LocalMigration[]): string[] {
  const objects = new Map<string, string>();
  for (const migration of migrations) {
    for (const statement of migration.statements) {
      const node = statement.node as Record<string, unknown>;
      if ("IndexStmt" in node) {
        const index = node["IndexStmt"] as { whereClause?: Node; idxname?: string; relation?: RangeVar };
        if (index.whereClause && index.idxname) {
          const operation = migration.operations.find((op) => op.kind === "ensure-index" && op.name === index.idxname);
          if (operation?.kind === "ensure-index") objects.set(`index:${index.relation?.schemaname}.${index.idxname}`, operation.createSql.replace("CONCURRENTLY ", ""));
        }
      }
      if ("CreateStmt" in node) {
        const create = node["CreateStmt"] as { relation?: RangeVar; tableElts?: Node[] };
        for (const element of create.tableElts ?? []) {
          const constraint = (element as { Constraint?: { contype?: string; conname?: string; raw_expr?: Node } }).Constraint;
          if (constraint?.contype === "CONSTR_CHECK" && constraint.conname && constraint.raw_expr) {
            objects.set(`constraint:${create.relation?.relname}.${constraint.conname}`, `ALTER TABLE ${qualified(create.relation)} ADD CONSTRAINT "${constraint.conname}" CHECK (${deparseNode(constraint.raw_expr)})`);
          }
        }
      }
      if ("AlterTableStmt" in node) {
        const alter = node["AlterTableStmt"] as { relation?: RangeVar; cmds?: Node[] };
        for (const cmd of alter.cmds ?? []) {
          const command = (cmd as { AlterTableCmd?: { subtype?: string; name?: string; def?: Node } }).AlterTableCmd;
          const constraint = command?.def ? (command.def as { Constraint?: { contype?: string; conname?: string; raw_expr?: Node; skip_validation?: boolean } }).Constraint : undefined;
          if (command?.subtype === "AT_AddConstraint" && constraint?.contype === "CONSTR_CHECK" && constraint.conname && constraint.raw_expr) {
            objects.set(`constraint:${alter.relation?.relname}.${constraint.conname}`, `ALTER TABLE ${qualified(alter.relation)} ADD CONSTRAINT "${constraint.conname}" CHECK (${deparseNode(constraint.raw_expr)})`);
          }
          if (command?.subtype === "AT_DropConstraint" && command.name) objects.delete(`constraint:${alter.relation?.relname}.${command.name}`);
        }
      }
      if ("DropStmt" in node) {
        const drop = node["DropStmt"] as { removeType?: string; objects?: Array<{ List?: { items?: Array<{ String?: { sval?: string } }> } }> };
        if (drop.removeType === "OBJECT_INDEX") {
          for (const object of drop.objects ?? []) {
            const parts = (object.List?.items ?? []).map((item) => item.String?.sval ?? "");
            objects.delete(`index:${parts.length > 1 ? parts.join(".") : `public.${parts[0]}`}`);
          }
        }
      }
    }
  }
  return [...objects.values()];
}

/**
 * Builds the state the model describes in a scratch database, by definition: Prisma's own DDL for the
 * schema (its engine, diffing empty → schema), plus the objects only the raw migrations declare. No second,
 * hand-kept list of expectations exists anywhere.
 */
export async function buildExpectedState(options: { schemaPath: string; migrations: readonly LocalMigration[]; serverUrl: string }): Promise<ExpectedState> {
  const scratch = await createScratchDatabase(withDatabase(options.serverUrl, "postgres"), { prefix: "sf_verifier_expected" }).catch((error: unknown) => {
    throw new ToolkitError({
      code: "verifier.no-scratch-database",
      summary: "Cannot create a scratch database to build the expected state from the Prisma schema.",
      fix: "Grant CREATEDB to the user, or set SHADOW_DATABASE_URL to a server where one may be created.",
      cause: error,
    });
  });
  try {
    const content = await readFile(options.schemaPath, "utf8");
    const engine = await openSchemaEngine({ datamodels: [[options.schemaPath, content]], url: scratch.url });
    let prismaDdl: string;
    try {
      const diff = await callEngine(engine, (e) =>
        e.diff({ from: { tag: "empty" }, to: { tag: "schemaDatamodel", files: [{ path: options.schemaPath, content }] }, script: true, exitCode: false, filters: noSchemaFilter }),
      );
      prismaDdl = diff.stdout ?? "";
    } finally {
      engine.free();
    }
    const rawObjects = rawObjectsOf(options.migrations);
    return await withClient(scratch.url, async (client) => {
      for (const statement of await parseStatements(prismaDdl, "Prisma's DDL")) await client.query(statement.text);
      for (const sql of rawObjects) await client.query(sql);
      const schemas = await listUserSchemas(client, { withoutPublic: true });
      return { schemas, structure: await readLiveSchema(client, schemas), prismaDdl, rawObjects };
    });
  } finally {
    await scratch.drop();
  }
}
