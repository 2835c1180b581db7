/// <reference lib="dom" />
// WebAssembly's types live in the DOM lib; the engine is instantiated by hand below.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as WasmBindings from "@prisma/schema-engine-wasm";

export type WasmSchemaEngineModule = typeof WasmBindings;
export type WasmSchemaEngine = WasmBindings.SchemaEngine;

interface PanicRegistry {
  set_message(message: string): void;
}

declare global {
  // The WASM build reports panics through this global before it throws.
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

let lastPanicMessage: string | undefined;

/** The message of the most recent engine panic, consumed on read. */
export function takePanicMessage(): string | undefined {
  const message = lastPanicMessage;
  lastPanicMessage = undefined;
  return message;
}

let loaded: Promise<WasmSchemaEngineModule> | undefined;

/**
 * Loads Prisma's schema engine compiled to WebAssembly. The package is bundler-style ESM
 * (`import * as wasm from "./x.wasm"`), which Node refuses, so we instantiate the module ourselves:
 * read the .wasm, build its import object from the glue module's exports, then hand the instance back
 * to the glue (`__wbg_set_wasm`) and run its start function.
 */
export function loadWasmSchemaEngine(): Promise<WasmSchemaEngineModule> {
  loaded ??= instantiate();
  return loaded;
}

/**
 * Starts loading the engine without waiting for it: its compilation then overlaps the caller's database
 * work. A failure is not lost: it surfaces at the first real use.
 */
export function preloadSchemaEngine(): void {
  loadWasmSchemaEngine().catch(() => undefined);
}

async function instantiate(): Promise<WasmSchemaEngineModule> {
  globalThis.PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      lastPanicMessage = message;
    },
  };
  const packageDir = resolvePackageDir();
  const glueUrl = pathToFileURL(join(packageDir, "schema_engine_bg.js")).href;
  const glue = (await import(glueUrl)) as WasmSchemaEngineModule & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const bytes = await readFile(join(packageDir, "schema_engine_bg.wasm"));
  const module = await WebAssembly.compile(bytes);
  const imports: WebAssembly.Imports = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    imports[entry.module] ??= glue as unknown as WebAssembly.ModuleImports;
  }
  const instance = await WebAssembly.instantiate(module, imports);
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports["__wbindgen_start"];
  if (typeof start === "function") (start as () => void)();
  return glue;
}

/** The package's `exports` hide package.json, so resolve its entry file and take the folder. */
function resolvePackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("@prisma/schema-engine-wasm"));
}
