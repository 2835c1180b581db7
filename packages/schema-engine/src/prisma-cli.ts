import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inheritedEnvironment } from "./env.ts";

/** The stand-in executable that answers the Prisma CLI with the WebAssembly engine. */
export const schemaEngineBinary = fileURLToPath(new URL("../bin/schema-engine.mjs", import.meta.url));

/**
 * Environment for running the Prisma CLI offline: the engine download is skipped because the engine
 * binary is given, and the CLI's telemetry and update checks are off (they would contact Prisma's servers).
 */
export function offlinePrismaEnv(base: NodeJS.ProcessEnv = inheritedEnvironment()): NodeJS.ProcessEnv {
  return {
    ...base,
    PRISMA_SCHEMA_ENGINE_BINARY: schemaEngineBinary,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
  };
}

/** The Prisma CLI entry point installed with this package. */
export function prismaCliEntry(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("prisma/package.json")), "build", "index.js");
}

export interface PrismaRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `prisma <args>` offline in `cwd` and captures its output. */
export function runPrisma(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<PrismaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCliEntry(), ...args], {
      cwd: options.cwd,
      env: offlinePrismaEnv(options.env ?? inheritedEnvironment()),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
