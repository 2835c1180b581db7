#!/usr/bin/env node
// `pnpm test:matrix [major…]`: the whole test suite once per PostgreSQL major (default: 14 to 18), each on
// a private embedded server of that major (SOLEFLIP_PG_MAJOR). The default suite already takes every
// major through db:migrate and db:verify (tooling/contract/test/majors.test.ts); this runs everything.
// Prints one line per major and exits 1 when any major failed.
import { spawnSync } from "node:child_process";

const SUPPORTED = ["14", "15", "16", "17", "18"];
const asked = process.argv.slice(2).filter((arg) => arg !== "--");
if (asked.includes("--help") || asked.includes("-h")) {
  console.log("usage: pnpm test:matrix [major…]   (majors: 14 15 16 17 18; default: all)");
  process.exit(0);
}
const unknown = asked.filter((major) => !SUPPORTED.includes(major));
if (unknown.length > 0) {
  console.error(`error [test-matrix.major-unsupported]: ${unknown.join(", ")} is not a supported PostgreSQL major.\n  fix: use one or more of ${SUPPORTED.join(" ")}.`);
  process.exit(1);
}
if (process.env.DATABASE_URL) {
  console.error("error [test-matrix.database-url-set]: DATABASE_URL is set, so every run would use that one server.\n  fix: unset DATABASE_URL; the matrix starts an embedded server of each major.");
  process.exit(1);
}

// pnpm as it ran this script (npm_execpath), so that every run uses the same pnpm
const execpath = process.env.npm_execpath ?? "";
const pnpm = /pnpm/.test(execpath)
  ? /\.[cm]?js$/.test(execpath) ? [process.execPath, execpath] : [execpath]
  : ["npx", "--yes", "pnpm@12.4.2"];

const results = [];
for (const major of asked.length > 0 ? asked : SUPPORTED) {
  console.log(`\n=== PostgreSQL ${major} ===`);
  const started = Date.now();
  const run = spawnSync(pnpm[0], [...pnpm.slice(1), "run", "test:all"], { stdio: "inherit", env: { ...process.env, SOLEFLIP_PG_MAJOR: major } });
  results.push({ major, ok: run.status === 0, minutes: ((Date.now() - started) / 60_000).toFixed(1) });
}
console.log("\nPostgreSQL matrix:");
for (const result of results) console.log(`  ${result.major}: ${result.ok ? "passed" : "FAILED"} (${result.minutes} min)`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
