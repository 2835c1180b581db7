import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { ToolkitError } from "@soleflip/core";
import type pg from "pg";
import type { PrismaProject } from "./project.ts";

export interface SeedOptions {
  /** 1 = the project's real size; the generator scales its row counts by it. */
  scale: number;
  seed?: string;
  /** Further `demo.<name>` settings the generator reads (e.g. needs_enrichment, products). */
  settings?: Record<string, string | number | undefined>;
}

/**
 * Runs the project's demo data generator (<schema folder>/demo/seed.sql) in one transaction. It reads
 * its parameters as settings: demo.scale, demo.seed and any given in `settings`.
 */
export async function runSeed(client: pg.ClientBase, project: Pick<PrismaProject, "seedPath">, options: SeedOptions): Promise<void> {
  if (!existsSync(project.seedPath)) {
    throw new ToolkitError({ code: "project.no-seed", summary: `The project has no demo data generator at ${project.seedPath}.`, fix: "Add demo/seed.sql next to the schema (it reads demo.scale and demo.seed), or skip the demo." });
  }
  if (!(options.scale > 0)) throw new ToolkitError({ code: "project.bad-scale", summary: `Scale must be positive, got ${options.scale}.`, fix: "Use e.g. 1 (real size) or 100." });
  const sql = await readFile(project.seedPath, "utf8");
  const settings: Record<string, string> = { scale: String(options.scale), seed: options.seed ?? "soleflip" };
  for (const [name, value] of Object.entries(options.settings ?? {})) if (value !== undefined) settings[name] = String(value);
  await client.query("BEGIN");
  try {
    for (const [name, value] of Object.entries(settings)) await client.query("SELECT set_config($1, $2, true)", [`demo.${name}`, value]);
    await client.query(sql);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new ToolkitError({
      code: "project.seed-failed",
      summary: `The demo data generator failed: ${(error as Error).message}`,
      fix: "Generate into an empty database holding the project's structure.",
      cause: error,
    });
  }
}
