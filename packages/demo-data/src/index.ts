export { generateDemoData, REAL_SIZE, type DemoDataOptions, type DemoDataSummary } from "./generate.ts";
