import { defineConfig } from "vitest/config";

/**
 * Shared vitest settings. Tests talk to a real PostgreSQL, so timeouts are generous and each
 * file gets its own throwaway database (see @soleflip/postgres/testing).
 */
/** @type {import("vitest/config").UserConfig} */
export const baseConfig = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default"],
  },
});
