#!/usr/bin/env node
// Programs some tests need from the system, not from npm: a real PgBouncer (the pooler tests) and a real
// Chromium (the report's diagrams drawn as a reader's browser draws them). `npm test` calls this first: for
// each one missing, on a root shell with apt-get (a fresh Debian or Ubuntu machine, CI), it installs the
// package; otherwise it says what to install and lets the tests name it again. Never fails.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
const NEEDED = [
  { name: "PgBouncer", packages: ["pgbouncer"], forWhat: "the pooler tests", present: () => has("pgbouncer") || ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].some((path) => existsSync(path)) },
  {
    name: "Chromium",
    packages: ["chromium"],
    forWhat: "the report's diagram tests",
    present: () => ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].some((path) => existsSync(path)),
  },
];

const missing = NEEDED.filter((entry) => !entry.present());
if (missing.length === 0) process.exit(0);
if (process.getuid?.() !== 0 || !has("apt-get")) {
  for (const entry of missing) console.warn(`${entry.name} is not installed; ${entry.forWhat} will fail until it is (Debian/Ubuntu: apt-get install ${entry.packages.join(" ")}).`);
  process.exit(0);
}
const packages = missing.flatMap((entry) => entry.packages);
console.log(`installing ${missing.map((entry) => entry.name).join(" and ")} for ${missing.map((entry) => entry.forWhat).join(" and ")} (apt-get install ${packages.join(" ")})…`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
const install = () => spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env }).status === 0;
try {
  if (!install()) {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    install();
  }
} catch (error) {
  console.warn(`could not install ${packages.join(" ")}: ${error instanceof Error ? error.message : String(error)}`);
}
for (const entry of missing) if (!entry.present()) console.warn(`${entry.name} is still missing; ${entry.forWhat} will fail until it is installed.`);
