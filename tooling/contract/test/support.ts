import { catalogSnapshot, tableFingerprints } from "@soleflip/db/testing";
import { adminDatabaseUrl } from "@soleflip/postgres/testing";

/**
 * The environment a user's command gets in these tests: their database, and the test server as the
 * scratch server (so that nothing starts the embedded PostgreSQL of .data/).
 */
export function userEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, SHADOW_DATABASE_URL: adminDatabaseUrl(), ...extra };
}

/** Structure and rows of a database, to prove a command changed nothing. */
export async function fingerprint(url: string): Promise<unknown> {
  return { structure: await catalogSnapshot(url), rows: await tableFingerprints(url) };
}
