import { spawn } from "node:child_process";
import { acquireDatabase, findWorkspaceRoot } from "@soleflip/postgres";
import { prismaEnv } from "./env.ts";
import { offlinePrismaEnv, prismaCliEntry } from "./prisma-cli.ts";

/** Prisma commands that talk to a database (the others only read files). */
const NEEDS_DATABASE = new Set(["migrate", "db", "studio"]);

/**
 * `pnpm prisma …`: the installed Prisma CLI, offline (the WebAssembly engine answers it), in the current
 * folder, with the same database default as every other command: DATABASE_URL, else the embedded
 * PostgreSQL, started for the command and stopped after it. Exits with Prisma's exit code.
 */
export async function runPrismaCli(args: readonly string[]): Promise<number> {
  const env = { ...offlinePrismaEnv() };
  let release = async (): Promise<void> => undefined;
  if (!prismaEnv.databaseUrl && NEEDS_DATABASE.has(args[0] ?? "")) {
    const database = await acquireDatabase({
      databaseUrl: undefined,
      workspaceRoot: findWorkspaceRoot(),
      ...(prismaEnv.port ? { port: prismaEnv.port } : {}),
      ...(prismaEnv.dataDir ? { dataDir: prismaEnv.dataDir } : {}),
      onProgress: (message) => process.stderr.write(`${message}\n`),
    });
    env["DATABASE_URL"] = database.url;
    release = database.release;
  }
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [prismaCliEntry(), ...args], { stdio: "inherit", env });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on("SIGINT", forward);
      process.on("SIGTERM", forward);
      child.on("close", (code, signal) => {
        process.off("SIGINT", forward);
        process.off("SIGTERM", forward);
        resolve(code ?? (signal === "SIGINT" ? 130 : 1));
      });
    });
  } finally {
    await release();
  }
}
