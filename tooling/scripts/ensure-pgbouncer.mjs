#!/usr/bin/env node
// The pooler tests run a real PgBouncer (Debian's `pgbouncer` package). `npm test` calls this first: when
// PgBouncer is missing and this is a root shell with apt-get (a fresh Debian or Ubuntu machine, CI), it
// installs the package; otherwise it says what to install and lets the tests name it again. Never fails.
import { execFileSync, spawnSync } from "node:child_process";

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
const installed = () => has("pgbouncer") || ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].some((path) => spawnSync("test", ["-x", path]).status === 0);

if (installed()) process.exit(0);
if (process.getuid?.() !== 0 || !has("apt-get")) {
  console.warn("PgBouncer is not installed; the pooler tests will fail until it is (Debian/Ubuntu: apt-get install pgbouncer).");
  process.exit(0);
}
console.log("installing PgBouncer for the pooler tests (apt-get install pgbouncer)…");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
const install = () => spawnSync("apt-get", ["install", "-y", "-qq", "pgbouncer"], { stdio: "inherit", env }).status === 0;
try {
  if (!install()) {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    install();
  }
} catch (error) {
  console.warn(`could not install PgBouncer: ${error instanceof Error ? error.message : String(error)}`);
}
if (!installed()) console.warn("PgBouncer is still missing; the pooler tests will fail until it is installed.");
