import { baseConfig } from "@soleflip/vitest-config";

export default baseConfig;
