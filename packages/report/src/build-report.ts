import { basename } from "node:path";
import { redactConnectionString } from "@soleflip/core";
import type { LocalMigration } from "@soleflip/history";
import { withClient } from "@soleflip/postgres";
import type { RunLog } from "@soleflip/runner";
import type { Verification } from "@soleflip/verification";
import type { PerformanceScale, RehearsalSection, Report } from "./model.ts";
import type { StateSummary } from "./state.ts";

export async function buildReport(input: {
  projectRoot: string;
  databaseUrl: string;
  verification: Verification;
  applyLog?: RunLog | undefined;
  before?: StateSummary | undefined;
  after: StateSummary;
  performance: PerformanceScale[];
  rehearsal?: RehearsalSection | undefined;
  migrations: readonly LocalMigration[];
}): Promise<Report> {
  const version = await withClient(input.databaseUrl, async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?", { readOnly: true });
  // The rollback plan: the down.sql of every migration this run applied, newest first.
  const applied = new Set(input.applyLog?.migrations.filter((m) => m.status === "applied" || m.status === "resumed").map((m) => m.name) ?? []);
  const rollback = input.migrations
    .filter((migration) => applied.has(migration.name))
    .reverse()
    .map((migration) => ({ migration: migration.name, downSql: migration.downSql }));
  return {
    tool: "soleflip-schema-report",
    version: 2,
    project: basename(input.projectRoot),
    generatedAt: new Date().toISOString(),
    database: redactConnectionString(input.databaseUrl),
    postgresVersion: version,
    status: input.verification.status,
    verification: input.verification,
    applyLog: input.applyLog,
    before: input.before,
    after: input.after,
    performance: input.performance,
    ...(input.rehearsal ? { rehearsal: input.rehearsal } : {}),
    rollback,
  };
}
