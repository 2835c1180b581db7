/** The only place this package reads the environment (for `pnpm prisma`). */
export const prismaEnv = {
  databaseUrl: process.env["DATABASE_URL"] || undefined,
  port: process.env["SOLEFLIP_PG_PORT"] ? Number(process.env["SOLEFLIP_PG_PORT"]) : undefined,
  dataDir: process.env["SOLEFLIP_PG_DATA_DIR"] || undefined,
};

/** The environment child processes inherit (the Prisma CLI). */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

/** Sets a variable for this process and its children unless it is set already. */
export function setDefault(name: string, value: string): void {
  if (process.env[name] === undefined) process.env[name] = value;
}
