#!/usr/bin/env node
// Prisma's schema engine, answered by its WebAssembly build: point PRISMA_SCHEMA_ENGINE_BINARY here.
import { register } from "tsx/esm/api";

register();
const { runStandIn } = await import("../src/rpc-server.ts");
const code = await runStandIn(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
// The engine's connection pools would keep the process alive after stdin closes.
process.exit(code);
