import { migratedDatabase } from "@soleflip/db/testing";
import { legacyDatabase } from "@soleflip/db/testing";
import { dbPackagePaths } from "@soleflip/db/paths";
import { describe, expect, it } from "vitest";
import { rollbackMigrations } from "../src/rollback.ts";
import { historyRows, migrate, snapshot } from "./helpers.ts";

describe("rollbackMigrations", () => {
  it("rehearses down then up: back to the pre-fix structure, then to head again", async () => {
    const url = await migratedDatabase("sf_rollback");
    const head = await snapshot(url);
    const result = await rollbackMigrations({
      databaseUrl: url,
      migrationsDir: dbPackagePaths.migrations,
      names: ["20251117000100_fix_foreign_keys_and_nullability", "20251117000200_enrichment_partial_indexes"],
    });
    expect(result.rolledBack.map((r) => r.name)).toEqual(["20251117000200_enrichment_partial_indexes", "20251117000100_fix_foreign_keys_and_nullability"]);
    expect(await snapshot(url)).toEqual(await snapshot(await legacyDatabase("sf_rollback_legacy")));
    const up = await migrate(url);
    expect(up.outcome).toBe("applied");
    expect(await snapshot(url)).toEqual(head);
    expect((await historyRows(url)).filter((row) => row.rolled_back).length).toBe(2);
  });

  it("refuses a migration without down.sql, changing nothing", async () => {
    const url = await migratedDatabase("sf_rollback_refuse");
    const before = await snapshot(url);
    await expect(rollbackMigrations({ databaseUrl: url, migrationsDir: dbPackagePaths.migrations, names: ["20251117000000_baseline"] })).rejects.toMatchObject({ code: "migrator.rollback.no-down-sql" });
    expect(await snapshot(url)).toEqual(before);
  });
});
