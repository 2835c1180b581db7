import "./provided-context.ts";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, inject } from "vitest";
import type { PostgresMajor } from "../binaries.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../embedded.ts";
import { createScratchDatabase, type ScratchDatabase } from "../scratch.ts";
import { freePort } from "./free-port.ts";

/** URL of the maintenance database of the test server provided by the global setup. */
export function adminDatabaseUrl(): string {
  return inject("adminDatabaseUrl");
}

/**
 * Cleanups of what a test file made (databases, folders), run after the file's tests, newest first.
 * Registered once per file at import (hooks registered inside a running test would be lost), so helpers
 * may be called anywhere, also inside a test.
 */
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** Runs `cleanup` after this test file's tests. */
export function afterFile(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

/** A fresh, empty database for this test file, dropped after the file's tests. */
export async function scratchDatabase(prefix = "sf_test"): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(adminDatabaseUrl(), { prefix });
  afterFile(() => database.drop());
  return database;
}

/** A temporary folder (readable by the postgres user) removed after the file's tests. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  await chmod(dir, 0o755);
  afterFile(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A private embedded server of one major for this test file (the version matrix), stopped after its tests. */
export async function embeddedServerOf(major: PostgresMajor): Promise<EmbeddedServer & { dataDir: string }> {
  const dir = await tempDir(`sf-pg${major}`);
  const dataDir = join(dir, "data");
  const server = await startEmbeddedPostgres({ major, dataDir, port: await freePort(), settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } });
  afterFile(() => server.stop());
  return { ...server, dataDir };
}

/** The same URL with another password (to test authentication failures). */
export function withPassword(url: string, password: string): string {
  const target = new URL(url);
  target.password = password;
  return target.toString();
}

export { freePort } from "./free-port.ts";
export { repositoryRoot, runRootScript, signalTree, startRootScript, waitForOutput, type CommandRun } from "./cli.ts";
export { pgbouncerBinary, startPgBouncer, type PgBouncer } from "./pgbouncer.ts";
export { startStandby, type Standby } from "./standby.ts";
