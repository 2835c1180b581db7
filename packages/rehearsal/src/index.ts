export { analyseObservation, type ObservationSummary, type ObservedLock, type ObservedStep } from "./analyse.ts";
export { judgeObservation, type RehearsalFinding } from "./budget.ts";
export { CONFIG_FILE, DEFAULT_REHEARSAL_CONFIG, parseRehearsalConfig, readRehearsalConfig, type RehearsalConfig } from "./config.ts";
export { LockSampler, readHeldLocks, type LockSample } from "./lock-sampler.ts";
export { Observation, type ObservationOptions, type RawObservation, type RelationState, type StepRecord } from "./observe.ts";
export { WriteProbes, type WriteAttempt } from "./write-probes.ts";
export { observeMigrations, type ObservedRun } from "./observe-run.ts";
export { formatBytes, observedLocksText, renderObservationText, writesBlockedText } from "./render-text.ts";
