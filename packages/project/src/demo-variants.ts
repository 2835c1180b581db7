import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import type { PrismaProject } from "./project.ts";

/**
 * A further data set the main job measures at the larger scale: the same generator with other
 * settings (e.g. the steady state, where few rows still need the work the backlog had).
 */
export interface DemoVariant {
  /** Lower-case letters, digits and underscores: part of its database's name. */
  id: string;
  label: string;
  /** demo.<name> settings for the generator. */
  settings: Record<string, string>;
}

export function demoVariantsPath(project: Pick<PrismaProject, "seedPath">): string {
  return join(dirname(project.seedPath), "variants.json");
}

function invalid(path: string, problem: string): ToolkitError {
  return new ToolkitError({
    code: "project.demo-variants-invalid",
    summary: `${path}: ${problem}`,
    fix: 'Write a JSON array of {"id": "steady_state", "label": "…", "settings": {"needs_enrichment": "0.005"}} (ids: lower-case letters, digits, underscores), or remove the file.',
  });
}

/** The project's demo variants (<schema folder>/demo/variants.json); none when there is no file. */
export async function readDemoVariants(project: Pick<PrismaProject, "seedPath">): Promise<DemoVariant[]> {
  const path = demoVariantsPath(project);
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw invalid(path, `not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw invalid(path, "must be a JSON array");
  const seen = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null) throw invalid(path, `entry ${index} must be an object`);
    const { id, label, settings } = entry as Record<string, unknown>;
    if (typeof id !== "string" || !/^[a-z0-9_]{1,30}$/.test(id)) throw invalid(path, `entry ${index}: id must be 1–30 lower-case letters, digits or underscores`);
    if (seen.has(id)) throw invalid(path, `entry ${index}: id ${id} is used twice`);
    seen.add(id);
    if (typeof label !== "string" || label.trim() === "") throw invalid(path, `entry ${index}: label must be a non-empty string`);
    if (typeof settings !== "object" || settings === null || Array.isArray(settings)) throw invalid(path, `entry ${index}: settings must be an object`);
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(settings)) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw invalid(path, `entry ${index}: setting name ${name} must be lower-case letters, digits, underscores`);
      if (typeof value !== "string" && typeof value !== "number") throw invalid(path, `entry ${index}: setting ${name} must be a string or a number`);
      values[name] = String(value);
    }
    return { id, label, settings: values };
  });
}
