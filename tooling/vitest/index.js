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
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
  },
});
