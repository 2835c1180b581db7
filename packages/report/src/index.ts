export { buildReport } from "./build-report.ts";
export type { PerformanceComparison, PerformanceScale, Report, RollbackStep } from "./model.ts";
export { readStateSummary, foreignKeyState, type ForeignKeyState, type StateSummary } from "./state.ts";
export { REPORT_MARKER, renderMarkdown, speedup } from "./render-markdown.ts";
export { COMMENT_LIMIT, renderPrComment } from "./render-comment.ts";
export { renderForeignKeyDiagram, renderTimingCharts, changedForeignKeys } from "./render-mermaid.ts";
export { writeReport, type ReportFiles } from "./write-report.ts";
export { upsertStickyComment, type StickyCommentOptions } from "./github/sticky-comment.ts";
export { markdownTable } from "./table.ts";
