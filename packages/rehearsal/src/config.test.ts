import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { afterAll, describe, expect, it } from "vitest";
import { CONFIG_FILE, DEFAULT_REHEARSAL_CONFIG, parseRehearsalConfig, readRehearsalConfig } from "./config.ts";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function projectWith(text: string | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sf-rehearsal-config-"));
  dirs.push(dir);
  if (text !== undefined) await writeFile(join(dir, CONFIG_FILE), text);
  return dir;
}

const BAD: Array<[string, unknown, RegExp]> = [
  ["not an object", [1], /must be a JSON object/],
  ["unknown field", { budget: 100 }, /unknown field budget/],
  ["unknown load field", { load: { writers: 2 } }, /unknown field load\.writers/],
  ["string budget", { writeBlockBudgetMs: "150" }, /writeBlockBudgetMs must be a number/],
  ["negative budget", { writeBlockBudgetMs: -1 }, /between 1 and 600000/],
  ["too many writers", { load: { writersPerTable: 100 } }, /load\.writersPerTable must be between 0 and 16/],
  ["load not an object", { load: 3 }, /load must be an object/],
];

describe("rehearsal.config.json", () => {
  it("defaults when there is no file", async () => {
    expect(readRehearsalConfig(await projectWith(undefined))).toEqual({ ...DEFAULT_REHEARSAL_CONFIG, source: null });
  });

  it("merges the fields given over the defaults", async () => {
    const dir = await projectWith(JSON.stringify({ writeBlockBudgetMs: 300, load: { writersPerTable: 1 } }));
    expect(readRehearsalConfig(dir)).toMatchObject({ writeBlockBudgetMs: 300, load: { writersPerTable: 1, intervalMs: 10 }, scale: 100, source: join(dir, CONFIG_FILE) });
  });

  it("refuses a file that is not JSON with the stable code", async () => {
    const dir = await projectWith("{ writeBlockBudgetMs: 1");
    expect(() => readRehearsalConfig(dir)).toThrow(ToolkitError);
    expect(() => readRehearsalConfig(dir)).toThrow(/not JSON/);
  });

  it.each(BAD)("refuses %s", (_label, value, message) => {
    try {
      parseRehearsalConfig(value, "rehearsal.config.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ToolkitError);
      expect((error as ToolkitError).code).toBe("rehearsal.config-invalid");
      expect((error as ToolkitError).summary).toMatch(message);
      expect((error as ToolkitError).fix).toContain("writeBlockBudgetMs");
    }
  });
});
