#!/usr/bin/env node
// Adds up the vitest results of every workspace (.vitest-results.json) and prints one closing line,
// "N passed, N failed[, N skipped]". `--clean` removes old result files before a run and notes what the
// temporary folder holds; at the end, anything the run left behind (temporary folders, PostgreSQL
// servers of the test clusters) fails the run: every test must clean up after itself.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const marker = join(root, ".test-run-tmp.json");
const ours = (name) => /^(sf-|soleflip-test-pg-)/.test(name);
const workspaces = ["apps", "packages", "tooling"].flatMap((group) =>
  existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(root, group, name)) : [],
);
const files = workspaces.map((dir) => join(dir, ".vitest-results.json")).filter((file) => existsSync(file));

if (process.argv.includes("--clean")) {
  for (const file of files) rmSync(file);
  writeFileSync(marker, JSON.stringify(readdirSync(tmpdir()).filter(ours)));
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

// What the run left behind.
const before = new Set(existsSync(marker) ? JSON.parse(readFileSync(marker, "utf8")) : []);
const leftFolders = readdirSync(tmpdir()).filter((name) => ours(name) && !before.has(name));
let servers = [];
try {
  servers = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => /postgres(\s|$).*-D\s*\S*(soleflip-test-pg-|\/sf-)/.test(line));
} catch {
  // no ps: nothing to check
}
rmSync(marker, { force: true });
if (leftFolders.length > 0) console.log(`left behind in ${tmpdir()}: ${leftFolders.join(", ")}`);
if (servers.length > 0) console.log(`PostgreSQL servers still running:\n${servers.join("\n")}`);
const leaked = leftFolders.length + servers.length;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}${leaked ? `; ${leaked} thing(s) left behind` : "; nothing left behind"}`);
process.exit(failed > 0 || leaked > 0 ? 1 : 0);
