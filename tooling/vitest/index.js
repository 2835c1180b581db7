import { defineConfig } from "vitest/config";

/**
 * Shared vitest settings. Tests talk to a real PostgreSQL (see @soleflip/postgres/testing), so
 * timeouts are generous. Results also go to .vitest-results.json, which tooling/scripts/test-summary.mjs
 * adds up across workspaces.
 */
/** @type {import("vitest/config").UserConfig} */
export const baseConfig = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two files at a time even on 2 cores (vitest's default is cores - 1, one file at a time there): the
    // tests mostly wait on PostgreSQL and on the commands they spawn, so a second file uses the idle time.
    maxWorkers: 2,
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
  },
});
