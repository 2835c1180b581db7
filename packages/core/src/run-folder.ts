import { lstat, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/**
 * Where a command's files go when no path is given: a folder of its own under `<reports>/runs/`, named by
 * time and command (`20261207-021500-demo`), so that no run overwrites another's files; and, once it is
 * done, a pointer `<reports>/<command>` (a symbolic link) to the newest run of that command and
 * `<reports>/latest` to the newest run of any. The oldest runs of a command beyond `KEPT_RUNS` are removed:
 * only folders of this layout, which the toolkit made.
 */
export const KEPT_RUNS = 20;
const RUN_NAME = /^\d{8}-\d{6}(?:-\d+)?-[a-z][a-z0-9-]*$/;

export interface RunFolder {
  /** Absolute path of this run's folder. */
  path: string;
  /** Its name, e.g. 20261207-021500-demo (what the report names as its run). */
  name: string;
  /** The pointer that names this command's newest run, e.g. reports/demo. */
  pointer: string;
  file(name: string): string;
  /** Records how the run ended and points `<reports>/<command>` and `<reports>/latest` at it. */
  finish(outcome: { exitCode: number }): Promise<void>;
}

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
}

export async function openRunFolder(reportsRoot: string, command: string, details: { args: readonly string[]; now?: Date }): Promise<RunFolder> {
  const startedAt = details.now ?? new Date();
  const runs = join(reportsRoot, "runs");
  await mkdir(runs, { recursive: true });
  let name = "";
  for (let attempt = 1; ; attempt++) {
    name = `${stamp(startedAt)}${attempt === 1 ? "" : `-${attempt}`}-${command}`;
    try {
      // mkdir without `recursive` claims the name: two runs started in the same second get two folders.
      await mkdir(join(runs, name));
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST" || attempt > 100) throw error;
    }
  }
  const path = join(runs, name);
  const record = { command, args: details.args, startedAt: startedAt.toISOString(), pid: process.pid };
  await writeFile(join(path, "run.json"), `${JSON.stringify(record, null, 2)}\n`);
  const pointer = join(reportsRoot, command);
  return {
    path,
    name,
    pointer,
    file: (file) => join(path, file),
    finish: async ({ exitCode }) => {
      await writeFile(join(path, "run.json"), `${JSON.stringify({ ...record, finishedAt: new Date().toISOString(), exitCode }, null, 2)}\n`);
      await pointAt(pointer, path);
      await pointAt(join(reportsRoot, "latest"), path);
      await prune(runs, command);
    },
  };
}

/** Replaces a pointer of ours atomically (a new link renamed over it); anything else of that name is left alone. */
async function pointAt(pointer: string, target: string): Promise<void> {
  const existing = await lstat(pointer).catch(() => undefined);
  if (existing && !existing.isSymbolicLink()) return;
  if (existing) {
    const current = await readlink(pointer).catch(() => "");
    if (!current.startsWith("runs/")) return;
  }
  const temporary = `${pointer}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  await symlink(relative(join(pointer, ".."), target), temporary);
  await rename(temporary, pointer);
}

async function prune(runs: string, command: string): Promise<void> {
  const ofThisCommand = (await readdir(runs)).filter((name) => RUN_NAME.test(name) && name.replace(/^\d{8}-\d{6}(?:-\d+)?-/, "") === command).sort();
  for (const name of ofThisCommand.slice(0, Math.max(0, ofThisCommand.length - KEPT_RUNS))) await rm(join(runs, name), { recursive: true, force: true });
}

/** A run folder made only when the command first writes a file: a run that fails early leaves none behind. */
export interface LazyRunFolder {
  /** The folder, made on first use. */
  path(): Promise<string>;
  /** Records the outcome and moves the pointers, if the folder was made. */
  finish(outcome: { exitCode: number }): Promise<RunFolder | undefined>;
}

export function lazyRunFolder(reportsRoot: string, command: string, details: { args: readonly string[] }): LazyRunFolder {
  let opened: Promise<RunFolder> | undefined;
  return {
    path: async () => (await (opened ??= openRunFolder(reportsRoot, command, details))).path,
    finish: async (outcome) => {
      if (!opened) return undefined;
      const folder = await opened;
      await folder.finish(outcome);
      return folder;
    },
  };
}

/** Where a command writes its files: a folder given by the user, or one made when first needed (a run folder). */
export type OutputDir = string | (() => Promise<string>);

export async function outputDir(dir: OutputDir): Promise<string> {
  const path = typeof dir === "string" ? dir : await dir();
  await mkdir(path, { recursive: true });
  return path;
}
