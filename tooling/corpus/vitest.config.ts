import { defineConfig, mergeConfig } from "vitest/config";
import { baseConfig } from "@soleflip/vitest-config";

export default mergeConfig(baseConfig, defineConfig({ test: { globalSetup: ["@soleflip/postgres/testing/global-setup"] } }));
