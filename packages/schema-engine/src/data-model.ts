import { createRequire } from "node:module";

/**
 * The model as Prisma reads it (its DMMF, from Prisma's own schema parser compiled to WebAssembly): which
 * table and column each model and field maps to. `create` reads a rename from it: a field whose column
 * changed (@map) or a model whose table changed (@@map) is the same data under a new name, which Prisma's
 * diff cannot tell from a drop and an add.
 */
export interface DataModelField {
  name: string;
  /** The column (the field's name unless @map). */
  column: string;
  kind: string;
  isId: boolean;
}

export interface DataModelModel {
  name: string;
  /** The table (the model's name unless @@map). */
  table: string;
  /** The schema (@@schema), when the datasource lists schemas. */
  schema: string | null;
  fields: DataModelField[];
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: Array<{ name: string; dbName?: string | null; kind: string; isId: boolean }>;
}

const require = createRequire(import.meta.url);
let wasm: { get_dmmf(params: string): string } | undefined;

/** The models of a schema (one or several files), with the tables and columns they map to. */
export function readDataModel(datamodels: ReadonlyArray<readonly [string, string]>): DataModelModel[] {
  wasm ??= require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: datamodels }))) as { datamodel: { models: DmmfModel[] } };
  return dmmf.datamodel.models.map((model) => ({
    name: model.name,
    table: model.dbName ?? model.name,
    schema: model.schema ?? null,
    fields: model.fields.filter((field) => field.kind === "scalar" || field.kind === "enum").map((field) => ({ name: field.name, column: field.dbName ?? field.name, kind: field.kind, isId: field.isId })),
  }));
}
