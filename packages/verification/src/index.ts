export { assertKnownChecks, CHECK_IDS, verifyDatabase, type Verification, type VerifyOptions } from "./verify.ts";
export type { CheckFinding, CheckResult, CheckStatus } from "./checks/check.ts";
export { CHECKS } from "./checks/index.ts";
export { buildExpectedState, rawObjectsOf, type ExpectedState } from "./expected.ts";
export { measureQuery, quantile, type Measurement } from "./performance/explain.ts";
export { measureAll, type QueryMeasurement } from "./performance/measure-scale.ts";
export { proposeIndexes, type IndexProposal } from "./performance/propose-index.ts";
export { compareMeasurements, MIN_RATIO, type MeasuredChange } from "./performance/compare.ts";
