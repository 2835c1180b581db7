#!/usr/bin/env node
// `prisma` with Prisma's schema engine answered by its WebAssembly build: no binary download needed, and
// the embedded PostgreSQL as the default database (src/prisma-main.ts).
import { register } from "tsx/esm/api";

register();
const { runPrismaCli } = await import("../src/prisma-main.ts");
process.exitCode = await runPrismaCli(process.argv.slice(2));
