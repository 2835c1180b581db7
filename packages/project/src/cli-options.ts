import { Option, type Command } from "commander";
import { loadProject, type PrismaProject } from "./project.ts";

export interface ProjectFlags {
  config?: string;
  schema?: string;
  migrations?: string;
}

/** --config / --schema / --migrations, as Prisma's CLI names them: the one definition both command lines use. */
export function withProjectOptions(command: Command): Command {
  return command
    .addOption(new Option("--config <file>", "the project's prisma.config.ts (default: ./prisma.config.ts, else ./prisma/schema.prisma)"))
    .addOption(new Option("--schema <file>", "the Prisma schema (file or folder), overriding the config's"))
    .addOption(new Option("--migrations <dir>", "the migrations folder, overriding the config's"));
}

export function projectFrom(flags: ProjectFlags, cwd: string): Promise<PrismaProject> {
  return loadProject({ cwd, config: flags.config, schema: flags.schema, migrations: flags.migrations });
}
