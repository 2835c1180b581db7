#!/usr/bin/env node
// `pnpm bench`: runs src/bin.ts through tsx (the workspace ships TypeScript sources).
import { register } from "tsx/esm/api";

register();
await import("../src/bin.ts");
