import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ToolkitError } from "@soleflip/core";

/**
 * How a rehearsal is observed and judged, from `rehearsal.config.json` next to the project's
 * prisma.config.ts. Every field is optional; the defaults are below.
 */
export interface RehearsalConfig {
  /** The longest a write may wait behind one statement before the check fails (exit 2). */
  writeBlockBudgetMs: number;
  /** pg_locks is read this often while a statement runs (a dedicated connection). */
  sampleIntervalMs: number;
  /** The synthetic write load: this many writers per touched table, each writing once per interval. */
  load: { writersPerTable: number; intervalMs: number };
  /** The demo data's size for the rehearsal in CI (× the seed's base size). */
  scale: number;
}

export const CONFIG_FILE = "rehearsal.config.json";

export const DEFAULT_REHEARSAL_CONFIG: RehearsalConfig = {
  writeBlockBudgetMs: 150,
  sampleIntervalMs: 5,
  load: { writersPerTable: 2, intervalMs: 10 },
  scale: 100,
};

/** Bounds per numeric field: below the lower one the measurement means nothing, above the upper one it is a typo. */
const BOUNDS: Record<string, [number, number]> = {
  writeBlockBudgetMs: [1, 600_000],
  sampleIntervalMs: [1, 1_000],
  "load.writersPerTable": [0, 16],
  "load.intervalMs": [1, 10_000],
  scale: [1, 10_000],
};

function invalid(path: string, problem: string): ToolkitError {
  return new ToolkitError({
    code: "rehearsal.config-invalid",
    summary: `${path}: ${problem}`,
    fix: `Fields: writeBlockBudgetMs, sampleIntervalMs, load.writersPerTable, load.intervalMs, scale (numbers; defaults ${JSON.stringify(DEFAULT_REHEARSAL_CONFIG)}). Nothing was run.`,
  });
}

/** Reads and checks the project's rehearsal config; the defaults when there is no file. */
export function readRehearsalConfig(projectRoot: string): RehearsalConfig & { source: string | null } {
  const path = join(projectRoot, CONFIG_FILE);
  if (!existsSync(path)) return { ...DEFAULT_REHEARSAL_CONFIG, source: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw invalid(path, `not JSON (${(error as Error).message})`);
  }
  return { ...parseRehearsalConfig(parsed, path), source: path };
}

export function parseRehearsalConfig(value: unknown, path: string): RehearsalConfig {
  if (!isRecord(value)) throw invalid(path, "must be a JSON object");
  const config: RehearsalConfig = { ...DEFAULT_REHEARSAL_CONFIG, load: { ...DEFAULT_REHEARSAL_CONFIG.load } };
  for (const [key, field] of Object.entries(value)) {
    if (key === "$schema") continue;
    if (key === "load") {
      if (!isRecord(field)) throw invalid(path, "load must be an object");
      for (const [loadKey, loadField] of Object.entries(field)) {
        if (loadKey !== "writersPerTable" && loadKey !== "intervalMs") throw invalid(path, `unknown field load.${loadKey}`);
        config.load[loadKey] = checkedNumber(path, `load.${loadKey}`, loadField);
      }
      continue;
    }
    if (key !== "writeBlockBudgetMs" && key !== "sampleIntervalMs" && key !== "scale") throw invalid(path, `unknown field ${key}`);
    config[key] = checkedNumber(path, key, field);
  }
  return config;
}

function checkedNumber(path: string, field: string, value: unknown): number {
  const [low, high] = BOUNDS[field] ?? [0, Number.MAX_SAFE_INTEGER];
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(path, `${field} must be a number`);
  if (value < low || value > high) throw invalid(path, `${field} must be between ${low} and ${high} (is ${value})`);
  return value;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
