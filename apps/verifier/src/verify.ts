import { readLiveSchema } from "@soleflip/catalog";
import { ToolkitError } from "@soleflip/core";
import { readHistory, readLocalMigrations } from "@soleflip/migrator";
import { connectClient } from "@soleflip/postgres";
import { CHECKS } from "./checks/index.ts";
import type { CheckResult } from "./checks/check.ts";
import { buildExpectedState } from "./expected/build-expected.ts";

export interface VerifyOptions {
  databaseUrl: string;
  /** Where the expected state and shadow databases are built (needs CREATEDB). */
  serverUrl: string;
  schemaPath: string;
  migrationsDir: string;
  /** Run only these checks (ids). */
  only?: readonly string[];
}

export interface Verification {
  status: "pass" | "fail";
  checks: CheckResult[];
  /** Queries issued on the verified database's connection (catalog reads and data checks). */
  queriesIssued: number;
  expectedObjects: { prismaDdlStatements: number; rawObjects: string[] };
}

/**
 * Proves the live database matches the model by definition: builds the expected state from the Prisma
 * schema and the raw migrations, reads pg_catalog inside a READ ONLY transaction, runs every check.
 */
export async function verifyDatabase(options: VerifyOptions): Promise<Verification> {
  const migrations = await readLocalMigrations(options.migrationsDir);
  const expected = await buildExpectedState({ schemaPath: options.schemaPath, migrations, serverUrl: options.serverUrl });
  const client = await connectClient(options.databaseUrl, { applicationName: "soleflip-verifier" });
  let queriesIssued = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    queriesIssued++;
    return query(...args);
  };
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const live = await readLiveSchema(client, expected.schemas);
    if (live.schemas.length === 0) {
      throw new ToolkitError({
        code: "verifier.not-soleflip",
        summary: `The database holds none of SoleFlip's schemas (${expected.schemas.join(", ")}).`,
        fix: "Point DATABASE_URL at a SoleFlip database, or migrate this one first (pnpm db:migrate).",
      });
    }
    const hasHistory = (await client.query<{ t: boolean }>("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS t")).rows[0]?.t === true;
    const history = hasHistory ? await readHistory(client) : undefined;
    const context = { client, databaseUrl: options.databaseUrl, serverUrl: options.serverUrl, schemaPath: options.schemaPath, migrationsDir: options.migrationsDir, expected, live, migrations, history };
    const checks: CheckResult[] = [];
    for (const check of CHECKS) {
      if (options.only && !options.only.includes(check.id)) continue;
      const started = performance.now();
      const result = await check.run(context);
      checks.push({ id: check.id, title: check.title, ...result, durationMs: Math.round((performance.now() - started) * 10) / 10 });
    }
    return {
      status: checks.every((check) => check.status !== "fail") ? "pass" : "fail",
      checks,
      queriesIssued,
      expectedObjects: { prismaDdlStatements: expected.prismaDdl.split(";").length - 1, rawObjects: expected.rawObjects },
    };
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
