import { runMigrations, type RunLog, type RunOptions } from "@soleflip/runner";
import { analyseObservation, type ObservationSummary } from "./analyse.ts";
import { judgeObservation, type RehearsalFinding } from "./budget.ts";
import type { RehearsalConfig } from "./config.ts";
import { Observation } from "./observe.ts";

export interface ObservedRun {
  log: RunLog;
  observation: ObservationSummary;
  findings: RehearsalFinding[];
}

const splitName = (qualified: string) => {
  const dot = qualified.indexOf(".");
  return { schema: qualified.slice(0, dot), table: qualified.slice(dot + 1) };
};

/**
 * runMigrations, observed: the plan (a dry run) names the tables the pending steps touch; the write
 * load starts on them; the run goes ahead with the observer attached; the recording is analysed and
 * judged against the budget.
 */
export async function observeMigrations(options: RunOptions & { config: RehearsalConfig; load: boolean }): Promise<ObservedRun> {
  const { config, load, ...run } = options;
  const plan = await runMigrations({ ...run, dryRun: true, onEvent: () => undefined });
  const tables = [...new Set(plan.migrations.flatMap((m) => m.operations.flatMap((op) => op.steps.flatMap((step) => step.tables))))].map(splitName);
  const observation = new Observation({ databaseUrl: run.databaseUrl, config, load, tables });
  let log: RunLog;
  try {
    log = await runMigrations({ ...run, observer: observation.observer });
  } catch (error) {
    await observation.finish();
    throw error;
  }
  const summary = analyseObservation(await observation.finish());
  return { log, observation: summary, findings: judgeObservation(summary, config) };
}
