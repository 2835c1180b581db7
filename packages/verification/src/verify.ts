import { readLiveSchema, withoutLeafPartitions } from "@soleflip/catalog";
import { ToolkitError } from "@soleflip/core";
import { historyTableExists, readHistory, readLocalMigrations } from "@soleflip/history";
import { connectClient } from "@soleflip/postgres";
import type { PrismaProject } from "@soleflip/project";
import { recogniseMigrations } from "@soleflip/runner";
import type { CheckResult } from "./checks/check.ts";
import { CHECKS } from "./checks/index.ts";
import { buildExpectedState } from "./expected.ts";
import { contractWindow, withinWindow } from "./window.ts";

export interface VerifyOptions {
  databaseUrl: string;
  /** Where the expected state and shadow databases are built: the embedded server or SHADOW_DATABASE_URL's, never the verified one. */
  scratchAdminUrl: string;
  project: PrismaProject;
  /** Run only these checks (ids). */
  only?: readonly string[] | undefined;
}

export interface Verification {
  status: "pass" | "fail";
  checks: CheckResult[];
  /** The schemas the model's objects live in. */
  schemas: string[];
  /** Queries issued on the verified database's connection (catalog reads and data checks). */
  queriesIssued: number;
  expectedObjects: { prerequisites: string[]; prismaDdlStatements: number; rawObjects: string[] };
  /** Set when the database holds none of the model's tables: nothing was compared. */
  refusal?: { code: string; summary: string; fix: string } | undefined;
}

export const CHECK_IDS = CHECKS.map((check) => check.id);

/** Fails on a check id that does not exist, before anything else runs. */
export function assertKnownChecks(only: readonly string[] | undefined): void {
  const unknown = (only ?? []).filter((id) => !CHECK_IDS.includes(id));
  if (unknown.length > 0) {
    throw new ToolkitError({ code: "verifier.unknown-check", summary: `No check named ${unknown.join(", ")}.`, fix: `Choose from: ${CHECK_IDS.join(", ")}.` });
  }
}

/**
 * Proves the live database matches the model by definition: builds the expected state from the Prisma
 * schema and the raw migrations on the scratch server, reads the database over a read-only session
 * inside a READ ONLY transaction, runs every check. A role with CONNECT, USAGE and SELECT is enough.
 */
export async function verifyDatabase(options: VerifyOptions): Promise<Verification> {
  assertKnownChecks(options.only);
  const migrations = recogniseMigrations(await readLocalMigrations(options.project.migrationsDir));
  const expected = await buildExpectedState({ project: options.project, migrations, scratchAdminUrl: options.scratchAdminUrl });
  const client = await connectClient(options.databaseUrl, { applicationName: "soleflip-verifier", readOnly: true });
  let queriesIssued = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    queriesIssued++;
    return query(...args);
  };
  const expectedObjects = { prerequisites: expected.prerequisites, prismaDdlStatements: expected.prismaDdl.split(";").length - 1, rawObjects: expected.rawObjects };
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // compared as Prisma models it: partitioned tables, not their leaf partitions
    const live = withoutLeafPartitions(await readLiveSchema(client, expected.schemas));
    const modelTables = new Set(expected.structure.tables.map((t) => `${t.schema}.${t.table}`));
    if (modelTables.size > 0 && !live.tables.some((t) => modelTables.has(`${t.schema}.${t.table}`))) {
      return {
        status: "fail",
        checks: [],
        schemas: expected.schemas,
        queriesIssued,
        expectedObjects,
        refusal: {
          code: "verifier.not-this-project",
          summary: `The database holds none of the model's ${modelTables.size} tables (in ${expected.schemas.join(", ")}): it is not this project's database, or it was never migrated.`,
          fix: "Point DATABASE_URL at the project's database, or migrate this one first (pnpm db:migrate). Nothing was compared.",
        },
      };
    }
    const history = (await historyTableExists(client)) ? await readHistory(client) : undefined;
    const window = contractWindow(migrations, history, live);
    const context = { client, databaseUrl: options.databaseUrl, scratchAdminUrl: options.scratchAdminUrl, project: options.project, expected, live, migrations, history, window };
    const checks: CheckResult[] = [];
    for (const check of CHECKS) {
      if (options.only && !options.only.includes(check.id)) continue;
      const started = performance.now();
      const result = await check.run(context);
      checks.push(withinWindow({ id: check.id, title: check.title, ...result, durationMs: Math.round((performance.now() - started) * 10) / 10 }, window));
    }
    return { status: checks.every((check) => check.status !== "fail") ? "pass" : "fail", checks, schemas: expected.schemas, queriesIssued, expectedObjects };
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
