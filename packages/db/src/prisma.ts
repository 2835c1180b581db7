import { inheritedEnvironment, runPrisma, type PrismaRun } from "@soleflip/schema-engine";
import { dbPackagePaths } from "./paths.ts";

/**
 * Runs the Prisma CLI (offline, through the WebAssembly engine) on this package's schema and
 * migrations, against `databaseUrl`.
 */
export function runDbPrisma(
  args: readonly string[],
  databaseUrl: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<PrismaRun> {
  return runPrisma(args, {
    cwd: options.cwd ?? dbPackagePaths.root,
    env: { ...(options.env ?? inheritedEnvironment()), DATABASE_URL: databaseUrl },
  });
}
