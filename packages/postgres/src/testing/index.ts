import "./provided-context.ts";
import { afterAll, inject } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../scratch.ts";

/** URL of the maintenance database of the test server provided by the global setup. */
export function adminDatabaseUrl(): string {
  return inject("adminDatabaseUrl");
}

/** A fresh, empty database for this test file, dropped after the file's tests. */
export async function scratchDatabase(prefix = "sf_test"): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(adminDatabaseUrl(), { prefix });
  afterAll(() => database.drop());
  return database;
}

