import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { readDemoVariants } from "./demo-variants.ts";

async function projectWith(text: string | undefined) {
  const dir = await tempDir("sf-variants");
  await mkdir(join(dir, "demo"), { recursive: true });
  if (text !== undefined) await writeFile(join(dir, "demo", "variants.json"), text);
  return { seedPath: join(dir, "demo", "seed.sql") };
}

const BAD: Array<[string, string, RegExp]> = [
  ["not JSON", "[{", /not JSON/],
  ["not an array", "{}", /must be a JSON array/],
  ["an id with a space", '[{"id": "steady state", "label": "x", "settings": {}}]', /id must be/],
  ["a repeated id", '[{"id": "a", "label": "x", "settings": {}}, {"id": "a", "label": "y", "settings": {}}]', /used twice/],
  ["an empty label", '[{"id": "a", "label": " ", "settings": {}}]', /label must be/],
  ["a bad setting name", '[{"id": "a", "label": "x", "settings": {"needs enrichment": "1"}}]', /setting name/],
  ["a nested setting", '[{"id": "a", "label": "x", "settings": {"n": {"x": 1}}}]', /must be a string or a number/],
];

describe("demo variants", () => {
  it("are none without a file, and read with numbers as text", async () => {
    expect(await readDemoVariants(await projectWith(undefined))).toEqual([]);
    expect(await readDemoVariants(await projectWith('[{"id": "steady_state", "label": "steady state", "settings": {"needs_enrichment": 0.005}}]'))).toEqual([
      { id: "steady_state", label: "steady state", settings: { needs_enrichment: "0.005" } },
    ]);
  });

  it.each(BAD)("refuses %s with project.demo-variants-invalid", async (_label, text, message) => {
    await expect(readDemoVariants(await projectWith(text))).rejects.toMatchObject({ code: "project.demo-variants-invalid", summary: expect.stringMatching(message) });
  });
});
