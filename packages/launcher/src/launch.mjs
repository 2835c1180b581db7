// @ts-check
// Starts a command-line entry written in TypeScript. tsx (the workspace's way to run its sources) resolves
// and transforms every module through a loader thread, which costs about a second per command; the
// weekly `db:migrate:create` loop pays it each time. So the entry is bundled once with esbuild (the
// workspace's own modules inlined, npm packages left as imports of their resolved files) and the bundle
// is reused until one of its source files changes. Any problem with the bundle falls back to tsx, which
// is also what SOLEFLIP_NO_BUNDLE=1 asks for.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launcherEnv } from "./env.mjs";

/** Bumped when the bundle's shape changes, so older bundles are rebuilt. */
const FORMAT = "1";
const cacheDir = fileURLToPath(new URL("../node_modules/.cache/soleflip-launcher/", import.meta.url));

/**
 * @typedef {{ format: string; entry: string; node: string; esbuild: string; inputs: Array<[path: string, mtimeMs: number, size: number]> }} Manifest
 * @typedef {{ module: Record<string, unknown>; bundled: boolean; rebuilt: boolean; reason?: string }} Launched
 */

/**
 * Where the bundle of `entry` and its manifest live.
 * @param {string} entry absolute path of the TypeScript entry
 */
export function bundlePaths(entry) {
  const key = createHash("sha256").update(entry).digest("hex").slice(0, 16);
  return { bundle: join(cacheDir, `${key}.mjs`), manifest: join(cacheDir, `${key}.json`) };
}

/**
 * Runs `entry` (a file URL or path of a .ts module): from its cached bundle when every source file is
 * unchanged, after bundling it when not, through tsx when bundling is off or fails. Returns the entry's
 * exports.
 * @param {string | URL} entryUrl
 * @returns {Promise<Launched>}
 */
export async function launch(entryUrl) {
  const entry = entryUrl instanceof URL || String(entryUrl).startsWith("file:") ? fileURLToPath(entryUrl) : resolve(String(entryUrl));
  if (launcherEnv.noBundle) return viaTsx(entry, "SOLEFLIP_NO_BUNDLE=1");
  const paths = bundlePaths(entry);
  let rebuilt = false;
  if (!isFresh(paths.manifest, entry)) {
    try {
      await buildBundle(entry, paths);
      rebuilt = true;
    } catch (error) {
      // A syntax error in a source, a read-only checkout, a missing esbuild: tsx runs the sources and
      // reports any real error the usual way.
      return viaTsx(entry, `bundling failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  debug(rebuilt ? "bundle rebuilt" : "bundle reused", paths.bundle);
  return { module: await import(pathToFileURL(paths.bundle).href), bundled: true, rebuilt };
}

/**
 * @param {string} entry
 * @param {string} reason
 * @returns {Promise<Launched>}
 */
async function viaTsx(entry, reason) {
  debug("tsx", reason);
  const { register } = await import("tsx/esm/api");
  register();
  return { module: await import(pathToFileURL(entry).href), bundled: false, rebuilt: false, reason };
}

/** @param {string[]} parts */
function debug(...parts) {
  if (launcherEnv.debug) process.stderr.write(`launcher: ${parts.join(" ")}\n`);
}

/**
 * The bundle may be used when its manifest names the same entry, Node and esbuild, and every input
 * (source files, and the installed packages' record) has the size and modification time it had.
 * @param {string} manifestPath
 * @param {string} entry
 */
function isFresh(manifestPath, entry) {
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch {
    return false;
  }
  if (manifest.format !== FORMAT || manifest.entry !== entry || manifest.node !== process.version) return false;
  for (const [path, mtimeMs, size] of manifest.inputs) {
    try {
      const stat = statSync(path);
      if (stat.mtimeMs !== mtimeMs || stat.size !== size) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * @param {string} entry
 * @param {{ bundle: string; manifest: string }} paths
 */
async function buildBundle(entry, paths) {
  const esbuild = await import("esbuild");
  const skipSelf = Symbol("resolving");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    write: false,
    metafile: true,
    logLevel: "silent",
    // as Node resolves: no bundler-only `module` condition or field
    conditions: [],
    mainFields: ["main"],
    plugins: [
      {
        name: "soleflip-launcher",
        setup(build) {
          // npm packages stay imports, of the very file Node would load for the importer: the bundle lives
          // elsewhere, so a bare name would not resolve from it.
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === skipSelf || isBuiltin(args.path)) return undefined;
            const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: skipSelf });
            if (resolved.errors.length > 0) return { errors: resolved.errors };
            if (resolved.external || !resolved.path.split(/[\\/]/).includes("node_modules")) return resolved;
            return { path: resolved.path, external: true };
          });
          // Inlined modules keep their own import.meta.url, so files they read next to themselves (SQL,
          // fixtures, package roots) are found where they are.
          build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
            if (args.path.split(/[\\/]/).includes("node_modules")) return undefined;
            const source = await readFile(args.path, "utf8");
            const loader = /\.[cm]?ts$/.test(args.path) ? "ts" : "js";
            return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader };
          });
        },
      },
    ],
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild wrote no output");
  const workingDir = process.cwd();
  const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(workingDir, input));
  // A reinstall (other package versions, other resolved files) rewrites pnpm's record of node_modules.
  const installRecord = findInstallRecord(entry);
  /** @type {Manifest} */
  const manifest = {
    format: FORMAT,
    entry,
    node: process.version,
    esbuild: esbuild.version,
    inputs: [...inputs, ...(installRecord ? [installRecord] : [])].map((path) => {
      const stat = statSync(path);
      return /** @type {[string, number, number]} */ ([path, stat.mtimeMs, stat.size]);
    }),
  };
  mkdirSync(cacheDir, { recursive: true });
  // Written beside and renamed: a concurrent launch reads the old bundle or the new one, never half of one.
  const suffix = `${process.pid}.${Date.now()}.tmp`;
  writeFileSync(`${paths.bundle}.${suffix}`, output.text);
  renameSync(`${paths.bundle}.${suffix}`, paths.bundle);
  writeFileSync(`${paths.manifest}.${suffix}`, JSON.stringify(manifest));
  renameSync(`${paths.manifest}.${suffix}`, paths.manifest);
}

/**
 * pnpm's `node_modules/.modules.yaml` of the workspace the entry belongs to.
 * @param {string} entry
 */
function findInstallRecord(entry) {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const record = join(dir, "node_modules", ".modules.yaml");
    try {
      statSync(join(dir, "pnpm-workspace.yaml"));
      statSync(record);
      return record;
    } catch {
      // not the workspace root
    }
    if (dirname(dir) === dir) return undefined;
  }
}
