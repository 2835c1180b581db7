import type { CheckResult } from "../checks/check.ts";
import type { Measurement } from "../performance/explain.ts";
import type { PerformanceScale, Report } from "./model.ts";
import { renderForeignKeyDiagram, renderTimingChart } from "./render-mermaid.ts";
import type { StateSummary } from "./state.ts";

/** The fixed first line that identifies our PR comment (and the job summary). */
export const REPORT_MARKER = "<!-- soleflip-schema-report -->";

const FIX_MIGRATION = /fix_foreign_keys_and_nullability|enrichment_partial_indexes/;

const icon = (status: string) => (status === "pass" ? "✅" : status === "skip" ? "⏭️" : "❌");
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3));
const table = (header: string[], rows: string[][]) =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.map((cell) => cell.replaceAll("|", "\\|").replaceAll("\n", " ")).join(" | ")} |`)].join("\n");

function speedup(before: Measurement, after: Measurement): string {
  if (after.medianMs <= 0) return "n/a";
  const ratio = before.medianMs / after.medianMs;
  return ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower`;
}

function planText(measurement: Measurement): string {
  return `${measurement.nodeTypes.join(" → ")}${measurement.indexesUsed.length ? ` (indexes: ${measurement.indexesUsed.join(", ")})` : ""}`;
}

function performanceSentences(scales: readonly PerformanceScale[]): string[] {
  const sentences: string[] = [];
  for (const scale of scales) {
    for (const comparison of scale.comparisons) {
      const { before, after } = comparison;
      const where = `${comparison.query.id} at ${scale.products.toLocaleString("en-US")} products (${scale.needingEnrichment.toLocaleString("en-US")} needing enrichment)`;
      const spread = `median of ${after.runsMs.length} EXPLAIN ANALYZE runs`;
      if (before) {
        sentences.push(`${where}: ${ms(before.medianMs)} ms before, ${ms(after.medianMs)} ms after (${speedup(before, after)}; ${spread}); plan after: ${planText(after)}.`);
      } else {
        sentences.push(`${where}: ${ms(after.medianMs)} ms (${spread}); plan: ${planText(after)}.`);
      }
      if (after.unusedIndexes.length > 0) {
        sentences.push(`At this size the planner does not use ${after.unusedIndexes.join(", ")} for ${comparison.query.id}: it reads ${after.nodeTypes.includes("Seq Scan") ? "the table with a sequential scan" : `through ${after.nodeTypes.join(", ")}`}, returning ${after.rows.toLocaleString("en-US")} rows.`);
      }
    }
  }
  return sentences;
}

function fixStatusRows(report: Report): string[][] {
  const log = report.applyLog;
  if (!log) return [];
  return log.migrations
    .filter((migration) => FIX_MIGRATION.test(migration.name))
    .flatMap((migration) =>
      migration.operations
        .filter((operation) => operation.kind !== "session-setting")
        .map((operation) => {
          const duration = operation.steps.reduce((sum, step) => sum + (step.durationMs ?? 0), 0);
          const retries = operation.steps.reduce((sum, step) => sum + (step.retries ?? 0), 0);
          const rows = operation.steps.find((step) => step.rowsAffected !== undefined)?.rowsAffected;
          return [
            `\`${operation.operationId.replace(/^[^:]+:/, "")}\``,
            operation.kind,
            `${operation.outcome === "failed" ? "❌ " : ""}${operation.outcome}`,
            operation.kind === "repair" ? "declared repair" : operation.found,
            operation.steps.length ? `${ms(duration)} ms${retries ? `, ${retries} retries` : ""}${rows !== undefined ? `, ${rows} rows` : ""}` : "–",
          ];
        }),
    );
}

function stateTable(before: StateSummary | undefined, after: StateSummary): string {
  const fixed = ["order_inventory_item_id_fkey", "order_platform_id_fkey", "stock_product_id_fkey", "stock_size_id_fkey", "stock_supplier_id_fkey"];
  const describe = (state: StateSummary | undefined, name: string) => {
    const fk = state?.foreignKeys.find((k) => k.name === name);
    return fk ? `${fk.onDelete}/${fk.onUpdate}${fk.validated ? "" : ", NOT VALID"}` : "absent";
  };
  const rows = fixed.map((name) => [`FK \`${name}\``, before ? describe(before, name) : "–", describe(after, name)]);
  for (const column of after.columns) {
    const was = before?.columns.find((c) => c.column === column.column);
    rows.push([`\`${column.column}\``, was ? (was.nullable ? "NULL" : "NOT NULL") : "–", column.nullable ? "NULL" : "NOT NULL"]);
  }
  for (const index of ["idx_product_description_null", "idx_product_retail_price_null", "idx_product_release_date_null", "idx_product_enrichment_status"]) {
    const state = (s: StateSummary | undefined) => {
      const found = s?.enrichmentIndexes.find((i) => i.name === index);
      return found ? (found.valid ? "valid" : "INVALID") : "absent";
    };
    rows.push([`index \`${index}\``, before ? state(before) : "–", state(after)]);
  }
  rows.push(["tables / foreign keys", before ? `${before.tables} / ${before.foreignKeys.length}` : "–", `${after.tables} / ${after.foreignKeys.length}`]);
  rows.push(["size on disk (tables and indexes)", before ? `${(before.totalBytes / 1024 / 1024).toFixed(1)} MiB` : "–", `${(after.totalBytes / 1024 / 1024).toFixed(1)} MiB`]);
  return table(["object", "before (read from pg_catalog)", "after (read from pg_catalog)"], rows);
}

function checkSection(check: CheckResult): string {
  const lines = [`### ${icon(check.status)} ${check.title} — \`${check.id}\``, "", `${check.summary} (${check.compared} compared, ${ms(check.durationMs)} ms)`];
  if (check.findings.length > 0) {
    lines.push("", table(["object", "expected (model)", "found (database)"], check.findings.slice(0, 50).map((f) => [`\`${f.subject}\``, f.expected ?? "", f.actual ?? ""])));
    if (check.findings.length > 50) lines.push("", `… and ${check.findings.length - 50} more (see the JSON report).`);
  }
  if (check.sql.length > 0) {
    lines.push("", "<details><summary>Verification SQL</summary>", "", "```sql", check.sql.join("\n\n"), "```", "", "</details>");
  }
  return lines.join("\n");
}

function performanceSection(scales: readonly PerformanceScale[]): string {
  const parts: string[] = [];
  for (const scale of scales) {
    parts.push(`### ${scale.label}: ${scale.products.toLocaleString("en-US")} products, ${scale.needingEnrichment.toLocaleString("en-US")} needing enrichment`, "");
    parts.push(
      table(
        ["query", "before: median [p25–p75] ms", "after: median [p25–p75] ms", "change", "plan after", "rows"],
        scale.comparisons.map((c) => [
          c.query.id,
          c.before ? `${ms(c.before.medianMs)} [${ms(c.before.p25Ms)}–${ms(c.before.p75Ms)}]` : "–",
          `${ms(c.after.medianMs)} [${ms(c.after.p25Ms)}–${ms(c.after.p75Ms)}]`,
          c.before ? speedup(c.before, c.after) : "–",
          planText(c.after),
          c.after.rows.toLocaleString("en-US"),
        ]),
      ),
      "",
    );
  }
  const method = scales[0]?.comparisons[0]?.after.method;
  if (method) parts.push(`Measured in this run: ${method}; "before" on the pre-migration state of the same database, before the migrator ran.`);
  return parts.join("\n");
}

/** The full report as GitHub-flavoured Markdown. Every figure comes from this run. */
export function renderMarkdown(report: Report): string {
  const v = report.verification;
  const passed = v.checks.filter((c) => c.status === "pass").length;
  const failed = v.checks.filter((c) => c.status === "fail").length;
  const applied = report.applyLog?.migrations.filter((m) => m.status === "applied" || m.status === "resumed").length ?? 0;
  const fixes = fixStatusRows(report);
  const outcomes = fixes.reduce<Record<string, number>>((counts, row) => ({ ...counts, [row[2] ?? ""]: (counts[row[2] ?? ""] ?? 0) + 1 }), {});
  const chart = renderTimingChart(report.performance);
  const sections = [
    REPORT_MARKER,
    `# SoleFlip schema report ${report.status === "pass" ? "✅" : "❌"}`,
    "",
    `Database \`${report.database}\` (PostgreSQL ${report.postgresVersion}), ${report.generatedAt}. Everything below was read or measured in this run.`,
    "",
    "## Executive summary",
    "",
    `- Verification by definition: **${passed} of ${v.checks.length} checks pass**${failed ? `, **${failed} fail**` : ""} (expected state built from the Prisma schema with Prisma's own engine plus ${v.expectedObjects.rawObjects.length} objects from raw migrations).`,
    report.applyLog
      ? `- Migration: ${report.applyLog.outcome}${report.applyLog.adoptedBaseline ? `, baseline adopted (structure matched by definition)` : ""}; ${applied} migration(s) applied in ${ms(report.applyLog.durationMs)} ms; fix operations: ${Object.entries(outcomes).map(([k, n]) => `${n} ${k}`).join(", ") || "none in this run"}.`
      : "- Migration: no apply log was given.",
    ...performanceSentences(report.performance).map((s) => `- ${s}`),
    "",
    "## Pre- and post-migration state",
    "",
    stateTable(report.before, report.after),
    "",
    "## Per-fix status (from the migrator's apply log)",
    "",
    fixes.length ? table(["object", "operation", "outcome", "found before", "time"], fixes) : "No fix operations ran in this run.",
    "",
    "## Foreign keys",
    "",
    table(["table", "constraint", "columns", "references", "on delete", "on update", "validated"], report.after.foreignKeys.map((fk) => [fk.table, `\`${fk.name}\``, fk.columns.join(", "), fk.references, fk.onDelete, fk.onUpdate, fk.validated ? "yes" : "**NO**"])),
    "",
    "```mermaid",
    renderForeignKeyDiagram(report.after.foreignKeys),
    "```",
    "",
    "## Constraints and indexes",
    "",
    table(["object", "definition", "state"], [
      ...report.after.checkConstraints.map((c) => [`CHECK \`${c.name}\``, c.definition, c.validated ? "validated" : "NOT VALID"]),
      ...report.after.enrichmentIndexes.map((i) => [`index \`${i.name}\``, i.definition, i.valid ? "valid" : "INVALID"]),
    ]),
    "",
    "## Verification",
    "",
    ...v.checks.map(checkSection).flatMap((s) => [s, ""]),
    "## Performance impact",
    "",
    performanceSection(report.performance),
    ...(chart ? ["", "```mermaid", chart, "```"] : []),
    "",
    "## Rollback plan",
    "",
    ...(report.rollback.length
      ? report.rollback.flatMap((step) => [`### ${step.migration}`, "", step.downSql ? ["```sql", step.downSql.trim(), "```"].join("\n") : "No down.sql: roll forward with a new migration.", ""])
      : ["Nothing to roll back in this run."]),
  ];
  return `${sections.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}
