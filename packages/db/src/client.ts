import { PrismaPg } from "@prisma/adapter-pg";
import { parseDatabaseUrl } from "@soleflip/postgres";
import { PrismaClient } from "./generated/prisma/client.ts";

export type SoleFlipClient = PrismaClient;

/**
 * A typed client for the SoleFlip model over node-postgres (Prisma's driver adapter; no query engine
 * binary). Apps import this package, never Prisma directly.
 */
export function createDbClient(databaseUrl: string, options: { poolSize?: number } = {}): SoleFlipClient {
  const fields = parseDatabaseUrl(databaseUrl);
  const adapter = new PrismaPg({ ...fields, max: options.poolSize ?? 5 });
  return new PrismaClient({ adapter });
}
