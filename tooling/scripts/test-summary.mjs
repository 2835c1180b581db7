#!/usr/bin/env node
// Adds up the vitest results of every workspace (.vitest-results.json) and prints one closing line,
// "N passed, N failed[, N skipped]". `--clean` removes old result files before a run.
import { readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const workspaces = ["apps", "packages", "tooling"].flatMap((group) =>
  existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(root, group, name)) : [],
);
const files = workspaces.map((dir) => join(dir, ".vitest-results.json")).filter((file) => existsSync(file));

if (process.argv.includes("--clean")) {
  for (const file of files) rmSync(file);
  process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const result = JSON.parse(readFileSync(file, "utf8"));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + (result.numTodoTests ?? 0);
  const name = file.slice(root.length).replace(/\/\.vitest-results\.json$/, "");
  console.log(`${name.padEnd(28)} ${result.numPassedTests} passed, ${result.numFailedTests} failed`);
}
if (files.length === 0) {
  console.log("no test results found");
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
