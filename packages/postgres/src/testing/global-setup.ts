import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { DEFAULT_MAJOR, parseMajor } from "../binaries.ts";
import { withDatabase } from "../connect.ts";
import { startEmbeddedPostgres } from "../embedded.ts";
import { testEnv } from "./env.ts";
import "./provided-context.ts";
import { freePort } from "./free-port.ts";

/**
 * Vitest global setup: one real PostgreSQL per test run. DATABASE_URL when set, otherwise a private
 * embedded cluster in a temporary folder on a free port (fsync off: it is thrown away afterwards).
 * Test files create their own scratch databases on it, so they can run in parallel.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (testEnv.databaseUrl) {
    project.provide("adminDatabaseUrl", withDatabase(testEnv.databaseUrl, "postgres"));
    return async () => undefined;
  }
  const dataDir = await mkdtemp(join(tmpdir(), "soleflip-test-pg-"));
  // mkdtemp makes the folder 0700; the server runs as the postgres user when we are root.
  await chmod(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    major: testEnv.major ? parseMajor(testEnv.major, "SOLEFLIP_PG_MAJOR") : DEFAULT_MAJOR,
    dataDir: join(dataDir, "data"),
    port: await freePort(),
    settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "200" },
  });
  project.provide("adminDatabaseUrl", server.adminUrl);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
