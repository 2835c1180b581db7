import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CATALOGUE } from "./catalogue.ts";
import { renderCatalogueDoc } from "./catalogue-doc.ts";

describe("docs/catalogue.md", () => {
  it("is what the catalogue says (run `pnpm docs:catalogue` after changing a row)", async () => {
    expect(await readFile(new URL("../../../docs/catalogue.md", import.meta.url), "utf8")).toBe(renderCatalogueDoc());
  });

  it("has at least 40 rows with unique ids, each kind the issue names", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOGUE.map((row) => row.id)).size).toBe(CATALOGUE.length);
    for (const group of ["Columns", "Indexes", "Relations", "Enums", "Tables and schemas", "Hand-written SQL"]) expect(CATALOGUE.some((row) => row.group === group)).toBe(true);
  });
});
