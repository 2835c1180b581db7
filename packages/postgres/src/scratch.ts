import { randomBytes } from "node:crypto";
import { quoteIdent, withClient, withDatabase } from "./connect.ts";

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the server of `adminUrl` (whose user needs CREATEDB) and
 * returns its URL. `drop` removes it even while connections are open (PostgreSQL 13+).
 */
export async function createScratchDatabase(
  adminUrl: string,
  options: { prefix?: string; template?: string } = {},
): Promise<ScratchDatabase> {
  const name = `${options.prefix ?? "sf_scratch"}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const template = options.template ? ` TEMPLATE ${quoteIdent(options.template)}` : "";
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}${template}`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => dropDatabase(adminUrl, name),
  };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  });
}
