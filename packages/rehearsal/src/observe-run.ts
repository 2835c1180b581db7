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

/**
 * runMigrations, observed: the write load starts on each table as the first step that touches it
 * begins, the run goes ahead with the observer attached, and the recording is analysed and judged
 * against the budget.
 */
export async function observeMigrations(options: RunOptions & { config: RehearsalConfig; load: boolean }): Promise<ObservedRun> {
  const { config, load, ...run } = options;
  const observation = new Observation({ databaseUrl: run.databaseUrl, config, load });
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
