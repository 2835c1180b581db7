#!/usr/bin/env node
// soleflip-bench: src/bin.ts, bundled once and reused until a source changes (@soleflip/launcher).
import { launch } from "@soleflip/launcher";

await launch(new URL("../src/bin.ts", import.meta.url));
