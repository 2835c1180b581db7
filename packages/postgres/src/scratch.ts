import { randomBytes } from "node:crypto";
import { onShutdown } from "@soleflip/core";
import { withClient, withDatabase } from "./connect.ts";
import { createOwnedDatabase, dropOwnedDatabase, notOwned, databaseState, renameOwnedDatabase, sweepAbandonedScratch, type Purpose } from "./ownership.ts";

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const swept = new Set<string>();

/**
 * Creates a uniquely named, marked database on the server of `adminUrl` (whose user needs CREATEDB)
 * and returns its URL. The first use per server in a process sweeps scratch databases that killed runs
 * left behind. `drop` removes it even while connections are open.
 */
export async function createScratchDatabase(
  adminUrl: string,
  options: { prefix?: string; template?: string; purpose?: Purpose } = {},
): Promise<ScratchDatabase> {
  if (!swept.has(adminUrl)) {
    swept.add(adminUrl);
    await sweepAbandonedScratch(adminUrl).catch(() => undefined);
  }
  const name = scratchName(options.prefix);
  await createOwnedDatabase(adminUrl, name, options.purpose ?? "scratch", options.template ? { template: options.template } : {});
  return scratchHandle(adminUrl, name);
}

const scratchName = (prefix = "sf_scratch") => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

/**
 * Takes `spare`, a database of ours made ahead of time (e.g. a copy of a template made during an earlier
 * run), as a new scratch database: renaming it is instant where copying a template takes a few hundred
 * milliseconds. Undefined when it is absent, not ours, or in use (another run took it first).
 */
export async function takeSpareDatabase(adminUrl: string, spare: string, options: { prefix?: string } = {}): Promise<ScratchDatabase | undefined> {
  const name = scratchName(options.prefix);
  try {
    await renameOwnedDatabase(adminUrl, spare, name, "scratch");
  } catch {
    return undefined;
  }
  return scratchHandle(adminUrl, name);
}

function scratchHandle(adminUrl: string, name: string): ScratchDatabase {
  // Dropped on Ctrl-C too; a run killed outright leaves it marked, for the next run's sweep.
  const unregister = onShutdown(() => dropOwnedDatabase(adminUrl, name));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      unregister();
      await dropOwnedDatabase(adminUrl, name);
    },
  };
}

/** Makes sure a database exists; creates (and marks) it when missing. Returns whether it was created. */
export async function ensureDatabase(adminUrl: string, name: string, purpose: Purpose = "default"): Promise<boolean> {
  const state = await withClient(adminUrl, (client) => databaseState(client, name));
  if (state.state !== "absent") return false;
  await createOwnedDatabase(adminUrl, name, purpose);
  return true;
}

export { notOwned };
