export { verifyDatabase, type Verification, type VerifyOptions } from "./verify.ts";
export { renderMarkdown, REPORT_MARKER } from "./report/render-markdown.ts";
export { renderPrComment, COMMENT_LIMIT } from "./report/render-comment.ts";
export type { Report } from "./report/model.ts";
export { measureQuery, quantile, type Measurement } from "./performance/explain.ts";
export { CRITICAL_QUERIES, ENRICHMENT_INDEXES, type CriticalQuery } from "./performance/critical-queries.ts";
