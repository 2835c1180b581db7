import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { connectClient, parseDatabaseUrl } from "../connect.ts";
import { freePort } from "./free-port.ts";
import { afterFile, tempDir } from "./index.ts";

export interface PgBouncer {
  /** `url` with its host and port replaced by the pooler's. */
  through(url: string): string;
}

const CANDIDATES = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"];

/** Where Debian's `pgbouncer` package put it, or a clear failure naming the package (never a skip). */
export function pgbouncerBinary(): string {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  const which = spawnSync("sh", ["-c", "command -v pgbouncer"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error("PgBouncer is not installed: the pooler tests need a real one. Install Debian's package (`apt-get install pgbouncer`); `npm test` and .ci/run do it when they can.");
}

/**
 * A real PgBouncer in front of the server of `adminUrl`, every database passed through, in the given pool
 * mode, stopped after the file's tests. Clients authenticate with the server's own user and password
 * (SCRAM), and the pooler logs in to the server with the same.
 */
export async function startPgBouncer(adminUrl: string, poolMode: "transaction" | "session"): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  const server = parseDatabaseUrl(adminUrl);
  const dir = await tempDir(`sf-pgbouncer-${poolMode}`);
  const port = await freePort();
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  await writeFile(join(dir, "userlist.txt"), `${quote(server.user)} ${quote(server.password ?? "")}\n`, { mode: 0o644 });
  await writeFile(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.host} port=${server.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = scram-sha-256",
      `auth_file = ${join(dir, "userlist.txt")}`,
      `pool_mode = ${poolMode}`,
      "default_pool_size = 4",
      "max_client_conn = 200",
      // node-postgres and Prisma's adapter send these at startup; PgBouncer refuses unknown ones
      "ignore_startup_parameters = extra_float_digits,options,statement_timeout,search_path",
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  // PgBouncer refuses to run as root: -u switches to the postgres user, as the embedded server does.
  const asRoot = process.getuid?.() === 0;
  const child = spawn(binary, [...(asRoot ? ["-u", "postgres"] : []), join(dir, "pgbouncer.ini")], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.stderr.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  afterFile(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    await exited;
  });
  const through = (url: string): string => {
    const target = new URL(url);
    target.hostname = "127.0.0.1";
    target.port = String(port);
    return target.toString();
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const client = await connectClient(through(adminUrl), { connectTimeoutMs: 2_000 });
      await client.end();
      return { through };
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PgBouncer did not start: ${log.trim() || String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
