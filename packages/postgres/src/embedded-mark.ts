import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "./process-alive.ts";

/**
 * What makes an embedded data directory this toolkit's, and how to reach its server: a mark file written
 * after initdb (its superuser's password, random per directory, so no two checkouts share credentials and
 * none is printed), and PostgreSQL's own postmaster.pid (the running server's pid, data directory, port).
 * Read synchronously: `prisma.config.ts` computes its datasource URL at load time.
 */
const MARK_FILE = "soleflip-toolkit.json";

/** The superuser initdb makes; the password of clusters made before the mark existed. */
export const EMBEDDED_USER = "postgres";
const LEGACY_PASSWORD = "postgres";

export interface EmbeddedCredentials {
  user: string;
  password: string;
}

interface Mark {
  tool: "soleflip-toolkit";
  user: string;
  password: string;
  createdAt: string;
}

/** A new cluster's credentials: a random password, written into the data directory once initdb made it. */
export function newCredentials(): EmbeddedCredentials {
  return { user: EMBEDDED_USER, password: randomBytes(18).toString("base64url") };
}

export function writeMark(dataDir: string, credentials: EmbeddedCredentials): void {
  const mark: Mark = { tool: "soleflip-toolkit", ...credentials, createdAt: new Date().toISOString() };
  writeFileSync(join(dataDir, MARK_FILE), `${JSON.stringify(mark, null, 2)}\n`, { mode: 0o600 });
}

/** The credentials of the cluster in this data directory (the legacy fixed ones when it has no mark). */
export function readCredentials(dataDir: string): EmbeddedCredentials {
  try {
    const mark = JSON.parse(readFileSync(join(dataDir, MARK_FILE), "utf8")) as Partial<Mark>;
    if (mark.tool === "soleflip-toolkit" && typeof mark.password === "string" && typeof mark.user === "string") return { user: mark.user, password: mark.password };
  } catch {
    // no mark (a cluster made before it existed, or none yet)
  }
  return { user: EMBEDDED_USER, password: LEGACY_PASSWORD };
}

/** The server running on this data directory, from its postmaster.pid: its pid and port, if its process lives. */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const file = join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return undefined;
  try {
    // Line 1: the postmaster's pid; line 4: its port (PostgreSQL's pidfile.h).
    const lines = readFileSync(file, "utf8").split("\n");
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
    return processAlive(pid) ? { pid, port } : undefined;
  } catch {
    return undefined;
  }
}
