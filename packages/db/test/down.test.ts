import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { withClient } from "@soleflip/postgres";
import { parseStatements } from "@soleflip/sql";
import { describe, expect, it } from "vitest";
import { dbPackagePaths } from "../src/paths.ts";
import { catalogSnapshot, legacyDatabase, migratedDatabase } from "../src/testing.ts";

async function runFile(url: string, file: string): Promise<void> {
  const statements = await parseStatements(await readFile(file, "utf8"), file);
  await withClient(url, async (client) => {
    for (const statement of statements) await client.query(statement.text);
  });
}

describe("the down.sql files", () => {
  it("take a migrated database back to exactly the pre-fix production structure", async () => {
    const [url, legacy] = await Promise.all([migratedDatabase("sf_down"), legacyDatabase("sf_down_legacy")]);
    await runFile(url, join(dbPackagePaths.migrations, "20251117000200_enrichment_partial_indexes", "down.sql"));
    await runFile(url, join(dbPackagePaths.migrations, "20251117000100_fix_foreign_keys_and_nullability", "down.sql"));
    expect(await catalogSnapshot(url)).toEqual(await catalogSnapshot(legacy));
  });
});
