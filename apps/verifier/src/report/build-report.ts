import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { redactConnectionString } from "@soleflip/core";
import type { LocalMigration, RunLog } from "@soleflip/migrator";
import { withClient } from "@soleflip/postgres";
import type { Verification } from "../verify.ts";
import type { PerformanceScale, Report } from "./model.ts";
import type { StateSummary } from "./state.ts";

export async function buildReport(input: {
  databaseUrl: string;
  verification: Verification;
  applyLog?: RunLog | undefined;
  before?: StateSummary | undefined;
  after: StateSummary;
  performance: PerformanceScale[];
  migrations: readonly LocalMigration[];
}): Promise<Report> {
  const version = await withClient(input.databaseUrl, async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?");
  // The rollback plan: the down.sql of every migration this run applied, newest first.
  const applied = input.applyLog?.migrations.filter((m) => m.status === "applied" || m.status === "resumed").map((m) => m.name) ?? [];
  const rollback = await Promise.all(
    input.migrations
      .filter((migration) => applied.includes(migration.name) && !/_baseline$/.test(migration.name))
      .reverse()
      .map(async (migration) => ({ migration: migration.name, downSql: migration.downSql ?? (await readFile(join(migration.directory, "down.sql"), "utf8").catch(() => undefined)) })),
  );
  return {
    tool: "soleflip-schema-report",
    version: 1,
    generatedAt: new Date().toISOString(),
    database: redactConnectionString(input.databaseUrl),
    postgresVersion: version,
    status: input.verification.status,
    verification: input.verification,
    applyLog: input.applyLog,
    before: input.before,
    after: input.after,
    performance: input.performance,
    rollback,
  };
}
