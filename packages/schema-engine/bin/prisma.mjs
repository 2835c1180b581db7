#!/usr/bin/env node
// `prisma` with Prisma's schema engine answered by its WebAssembly build: no binary download needed.
import { spawn } from "node:child_process";
import { register } from "tsx/esm/api";

register();
const { offlinePrismaEnv, prismaCliEntry } = await import("../src/prisma-cli.ts");
const child = spawn(process.execPath, [prismaCliEntry(), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: offlinePrismaEnv(),
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("close", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
