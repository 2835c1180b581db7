import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { withConfigEnvironment } from "./env.ts";

/**
 * A Prisma project as the tools see it: where its schema and migration history are, and the files the
 * toolkit reads next to the schema (critical queries, the demo seed). Found the way Prisma finds them:
 * flags, else prisma.config.ts, else prisma/schema.prisma.
 */
export interface PrismaProject {
  /** The folder relative paths were resolved from (the config file's folder, or the working folder). */
  root: string;
  configPath: string | undefined;
  /** schema.prisma, or a folder of .prisma files (Prisma's multi-file schema). */
  schemaPath: string;
  migrationsDir: string;
  /** Critical queries, one .sql file each with a metadata header: <schema folder>/queries. */
  queriesDir: string;
  /** The demo data generator, if the project has one: <schema folder>/demo/seed.sql. */
  seedPath: string;
}

export interface ProjectOptions {
  cwd: string;
  /** --config: a prisma.config.ts */
  config?: string | undefined;
  /** --schema */
  schema?: string | undefined;
  /** --migrations */
  migrations?: string | undefined;
}

export async function loadProject(options: ProjectOptions): Promise<PrismaProject> {
  const configPath = options.config ? resolve(options.cwd, options.config) : existsSync(join(options.cwd, "prisma.config.ts")) ? join(options.cwd, "prisma.config.ts") : undefined;
  let root = options.cwd;
  let schemaPath = join(options.cwd, "prisma", "schema.prisma");
  let migrationsDir: string | undefined;
  if (configPath) {
    if (!existsSync(configPath)) {
      throw new ToolkitError({ code: "project.config-missing", summary: `No Prisma config at ${configPath}.`, fix: "Pass --config <prisma.config.ts> of your project, or run from its folder." });
    }
    // Imported here, not at the top: @prisma/config loads the whole of `effect` (about half a second), which
    // commands and --help that read no config should not pay for.
    const { loadConfigFromFile } = await import("@prisma/config");
    const loaded = await withConfigEnvironment(() => loadConfigFromFile({ configFile: configPath }));
    if (loaded.error) {
      throw new ToolkitError({
        code: "project.config-invalid",
        summary: `Prisma could not load ${configPath}: ${loaded.error._tag}${"error" in loaded.error ? ` (${loaded.error.error.message.split("\n")[0]})` : ""}`,
        fix: "Fix the config file; `npx prisma validate --config <file>` shows the same error.",
        cause: "error" in loaded.error ? loaded.error.error : undefined,
      });
    }
    root = dirname(configPath);
    if (loaded.config.schema) schemaPath = resolve(root, loaded.config.schema);
    else schemaPath = join(root, "prisma", "schema.prisma");
    if (loaded.config.migrations?.path) migrationsDir = resolve(root, loaded.config.migrations.path);
  }
  if (options.schema) schemaPath = resolve(options.cwd, options.schema);
  if (options.migrations) migrationsDir = resolve(options.cwd, options.migrations);
  if (!existsSync(schemaPath)) {
    throw new ToolkitError({
      code: "project.schema-missing",
      summary: `No Prisma schema at ${schemaPath}.`,
      fix: "Run from a Prisma project's folder (with prisma.config.ts or prisma/schema.prisma), or pass --config or --schema.",
    });
  }
  const schemaDir = statSync(schemaPath).isDirectory() ? schemaPath : dirname(schemaPath);
  const migrations = migrationsDir ?? join(schemaDir, "migrations");
  return { root, configPath, schemaPath, migrationsDir: migrations, queriesDir: join(schemaDir, "queries"), seedPath: join(schemaDir, "demo", "seed.sql") };
}

/** The schema's files as [path, content], as Prisma's engine takes them (one file or a folder of them). */
export async function readSchemaFiles(project: Pick<PrismaProject, "schemaPath">): Promise<Array<[string, string]>> {
  if (!statSync(project.schemaPath).isDirectory()) return [[project.schemaPath, await readFile(project.schemaPath, "utf8")]];
  const files: Array<[string, string]> = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "migrations") await walk(path);
      else if (entry.isFile() && entry.name.endsWith(".prisma")) files.push([path, await readFile(path, "utf8")]);
    }
  };
  await walk(project.schemaPath);
  if (files.length === 0) throw new ToolkitError({ code: "project.schema-missing", summary: `No .prisma files in ${project.schemaPath}.`, fix: "Point --schema at schema.prisma or a folder of .prisma files." });
  return files;
}
