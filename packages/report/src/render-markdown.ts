import { describeBlocker } from "@soleflip/catalog";
import type { OperationLog } from "@soleflip/runner";
import type { CheckResult, IndexProposal, Measurement } from "@soleflip/verification";
import type { PerformanceComparison, PerformanceScale, Report } from "./model.ts";
import { changedForeignKeys, renderForeignKeyDiagram, renderTimingCharts } from "./render-mermaid.ts";
import { rehearsalSentence, renderRehearsalSection } from "./render-rehearsal.ts";
import { CLAIM_RULE, changeWords } from "./claims.ts";
import type { StateSummary } from "./state.ts";
import { markdownTable } from "./table.ts";

/** The fixed first line that identifies our PR comment (and the job summary). */
export const REPORT_MARKER = "<!-- soleflip-schema-report -->";

const icon = (status: string) => (status === "pass" ? "✅" : status === "skip" ? "⏭️" : "❌");
export const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3));

function planText(measurement: Measurement): string {
  return `${measurement.nodeTypes.join(" → ")}${measurement.indexesUsed.length ? ` (indexes: ${measurement.indexesUsed.join(", ")})` : ""}`;
}

function performanceSentences(scales: readonly PerformanceScale[]): string[] {
  const sentences: string[] = [];
  for (const scale of scales) {
    for (const comparison of scale.comparisons) {
      const { before, after } = comparison;
      const where = `${comparison.query.id} (${scale.label})`;
      if (!after) {
        sentences.push(`${where}: ${comparison.skipped ?? "not measured"}.`);
        continue;
      }
      const spread = `median [p25–p75] of ${after.runsMs.length} EXPLAIN ANALYZE runs`;
      if (before) sentences.push(`${where}: ${changeWords(before, after)} (${ms(before.medianMs)} [${ms(before.p25Ms)}–${ms(before.p75Ms)}] ms before, ${ms(after.medianMs)} [${ms(after.p25Ms)}–${ms(after.p75Ms)}] ms after, ${spread}), returning ${after.rows.toLocaleString("en-US")} rows; plan after: ${planText(after)}.`);
      else sentences.push(`${where}: ${ms(after.medianMs)} [${ms(after.p25Ms)}–${ms(after.p75Ms)}] ms (${spread}), returning ${after.rows.toLocaleString("en-US")} rows; plan: ${planText(after)}.`);
      for (const proposal of scale.proposals ?? []) {
        const withIt = proposal.built?.measurement;
        if (proposal.queryId !== comparison.query.id || !proposal.built?.used || !withIt) continue;
        // The plan is the claim here; the time it makes is in the Performance section with its spread.
        sentences.push(`Candidate for ${where}: \`${proposal.sql}\`: the planner uses it (built on a copy, measured and dropped; not applied); its time is in the Performance section.`);
      }
      if (after.unusedIndexes.length > 0) {
        sentences.push(`At this size the planner does not use ${after.unusedIndexes.join(", ")} for ${comparison.query.id}: it reads ${after.nodeTypes.includes("Seq Scan") ? "the table with a sequential scan" : `through ${after.nodeTypes.join(", ")}`}.`);
      }
    }
  }
  return [...new Set(sentences)];
}

/** The operations of the migrations this run applied (what the report is about). */
function appliedOperations(report: Report): Array<{ migration: string; operation: OperationLog }> {
  return (report.applyLog?.migrations ?? [])
    .filter((migration) => migration.status === "applied" || migration.status === "resumed")
    .flatMap((migration) => migration.operations.filter((operation) => operation.kind !== "session-setting").map((operation) => ({ migration: migration.name, operation })));
}

function operationRows(report: Report): string[][] {
  return appliedOperations(report).map(({ operation }) => {
    const duration = operation.steps.reduce((sum, step) => sum + (step.durationMs ?? 0), 0);
    const retries = operation.steps.reduce((sum, step) => sum + (step.retries ?? 0), 0);
    const rows = operation.steps.find((step) => step.rowsAffected !== undefined)?.rowsAffected;
    // Who the step waited for, as the runner saw it (pg_blocking_pids): the session, not a guess.
    const waited = operation.steps.flatMap((step) => (step.lockWait && step.lockWait.blockers.length > 0 ? [`waited for ${step.lockWait.wanted}, held by ${step.lockWait.blockers.map(describeBlocker).join("; ")}`] : []));
    return [
      `\`${operation.operationId.replace(/^[^:]+:/, "")}\``,
      operation.kind,
      `${operation.outcome === "failed" ? "❌ " : ""}${operation.outcome}`,
      operation.kind === "repair" ? "declared repair" : operation.found,
      operation.steps.length ? `${ms(duration)} ms${retries ? `, ${retries} retries` : ""}${rows !== undefined ? `, ${rows.toLocaleString("en-US")} rows` : ""}${waited.length ? `; ${waited.join("; ")}` : ""}` : "–",
    ];
  });
}

const fkText = (fk: StateSummary["foreignKeys"][number] | undefined) =>
  fk ? `ON DELETE ${fk.onDelete}, ON UPDATE ${fk.onUpdate}${fk.validated ? "" : ", NOT VALID"}` : "absent";

/** The state, before and after, of each object an applied operation is about, read from pg_catalog. */
function stateRows(report: Report): string[][] {
  const rows: string[][] = [];
  const seen = new Set<string>();
  const row = (label: string, describe: (state: StateSummary) => string) => {
    if (seen.has(label)) return;
    seen.add(label);
    rows.push([label, report.before ? describe(report.before) : "–", describe(report.after)]);
  };
  for (const { operation } of appliedOperations(report)) {
    const { schema, table, name, column } = operation.subject;
    const qualifiedTable = `${schema}.${table}`;
    switch (operation.kind) {
      case "ensure-foreign-key":
        row(`foreign key \`${qualifiedTable}.${name}\``, (state) => fkText(state.foreignKeys.find((fk) => fk.table === qualifiedTable && fk.name === name)));
        break;
      case "ensure-not-null":
      case "ensure-nullable":
        row(`column \`${qualifiedTable}.${column}\``, (state) => {
          const found = state.columns.find((c) => c.column === `${qualifiedTable}.${column}`);
          return found ? (found.nullable ? "NULL" : "NOT NULL") : "absent";
        });
        break;
      case "ensure-index":
      case "drop-index":
      case "rename-index":
        row(`index \`${schema}.${name}\``, (state) => {
          const found = state.indexes.find((i) => i.name === `${schema}.${name}`);
          return found ? (found.valid ? "valid" : "INVALID") : "absent";
        });
        break;
      case "ensure-check":
        row(`CHECK \`${qualifiedTable}.${name}\``, (state) => {
          const found = state.checkConstraints.find((c) => c.table === qualifiedTable && c.name === name);
          return found ? (found.validated ? "validated" : "NOT VALID") : "absent";
        });
        break;
      default:
        break;
    }
  }
  const totals = (state: StateSummary) => `${state.tables} / ${state.foreignKeys.length} / ${state.indexes.length}`;
  rows.push(["tables / foreign keys / indexes", report.before ? totals(report.before) : "–", totals(report.after)]);
  rows.push(["size on disk (tables and indexes)", report.before ? `${(report.before.totalBytes / 1024 / 1024).toFixed(1)} MiB` : "–", `${(report.after.totalBytes / 1024 / 1024).toFixed(1)} MiB`]);
  return rows;
}

function checkSection(check: CheckResult): string {
  const lines = [`### ${icon(check.status)} ${check.title} — \`${check.id}\``, "", `${check.summary} (${check.compared} compared, ${ms(check.durationMs)} ms)`];
  if (check.findings.length > 0) {
    lines.push("", markdownTable(["object", "expected (model)", "found (database)"], check.findings.slice(0, 50).map((f) => [`\`${f.subject}\``, f.expected ?? "", f.actual ?? ""])));
    if (check.findings.length > 50) lines.push("", `… and ${check.findings.length - 50} more (see the JSON report).`);
  }
  if (check.commands?.length) lines.push("", "The same comparison from the project's folder:", "", "```sh", ...check.commands, "```");
  if (check.sql.length > 0) lines.push("", "<details><summary>Verification SQL (as it ran; paste into psql)</summary>", "", "```sql", check.sql.join(";\n\n").replace(/;?$/, ";"), "```", "", "</details>");
  return lines.join("\n");
}

function comparisonRow(c: PerformanceComparison): string[] {
  if (!c.after) return [c.query.id, "–", "–", c.skipped ?? "not measured", "–", "–"];
  return [
    c.query.id,
    c.before ? `${ms(c.before.medianMs)} [${ms(c.before.p25Ms)}–${ms(c.before.p75Ms)}]` : "–",
    `${ms(c.after.medianMs)} [${ms(c.after.p25Ms)}–${ms(c.after.p75Ms)}]`,
    c.before ? changeWords(c.before, c.after) : "–",
    planText(c.after),
    c.after.rows.toLocaleString("en-US"),
  ];
}

/** What a candidate index did to its query, in words: a change only outside the measured spread. */
function proposalOutcome(proposal: IndexProposal, current: Measurement | undefined): string {
  if (proposal.verdict === "not-built") return `not built: ${proposal.reason ?? "unknown"}`;
  if (proposal.verdict === "not-used") return "built, but the planner did not use it";
  const withIt = proposal.built?.measurement;
  return current && withIt ? changeWords(current, withIt) : proposal.verdict;
}

function proposalRows(scale: PerformanceScale): string[][] {
  return (scale.proposals ?? []).map((proposal) => {
    const current = scale.comparisons.find((c) => c.query.id === proposal.queryId)?.after;
    const withIt = proposal.built?.measurement;
    return [
      proposal.queryId,
      `${proposal.scan} on \`${proposal.table}\`${current ? `, ${ms(current.medianMs)} [${ms(current.p25Ms)}–${ms(current.p75Ms)}] ms` : ""}`,
      proposal.sql ? `\`${proposal.sql}\`` : `predicate \`${proposal.predicate}\``,
      withIt ? `${ms(withIt.medianMs)} [${ms(withIt.p25Ms)}–${ms(withIt.p75Ms)}] ms, ${planText(withIt)}` : "–",
      proposalOutcome(proposal, current),
      proposal.built ? `${(proposal.built.indexBytes / 1024).toFixed(0)} KiB` : "–",
    ];
  });
}

function performanceSection(scales: readonly PerformanceScale[]): string {
  if (scales.length === 0) return "Not measured in this run (--no-performance, or the project keeps no critical queries in `<schema folder>/queries`).";
  const parts: string[] = [];
  for (const scale of scales) {
    const rows = Object.entries(scale.rows).map(([table, n]) => `${n.toLocaleString("en-US")} rows in ${table}`).join(", ");
    parts.push(`### ${scale.label}${rows ? `: ${rows}` : ""}`, "");
    parts.push(markdownTable(["query", "before: median [p25–p75] ms", "after: median [p25–p75] ms", "change", "plan after", "rows returned"], scale.comparisons.map(comparisonRow)), "");
    if (scale.proposals) {
      parts.push(
        scale.proposals.length
          ? `Candidate indexes: where the plan after still filters a table of 10,000 rows or more, the filter as a partial index over the primary key, built on this database (ours), measured with the same method, then dropped. Suggestions with their evidence; nothing was added to the migrations.\n\n${markdownTable(["query", "today", "candidate", "with it: median [p25–p75], plan", "change", "index size"], proposalRows(scale))}`
          : "Candidate indexes: none; no plan after filters a table of 10,000 rows or more.",
        "",
      );
    }
  }
  const method = scales.flatMap((s) => s.comparisons).find((c) => c.after)?.after?.method;
  if (method) parts.push(`Measured in this run: ${method}; "before" on the pre-migration state of the same database. ${CLAIM_RULE}.`);
  return parts.join("\n");
}

/** The full report as GitHub-flavoured Markdown. Every figure comes from this run. */
export function renderMarkdown(report: Report): string {
  const v = report.verification;
  const passed = v.checks.filter((c) => c.status === "pass").length;
  const failed = v.checks.filter((c) => c.status === "fail").length;
  const applied = report.applyLog?.migrations.filter((m) => m.status === "applied" || m.status === "resumed").length ?? 0;
  const operations = operationRows(report);
  const outcomes = operations.reduce<Record<string, number>>((counts, row) => ({ ...counts, [row[2] ?? ""]: (counts[row[2] ?? ""] ?? 0) + 1 }), {});
  const charts = renderTimingCharts(report.performance);
  const changed = changedForeignKeys(appliedOperations(report).map((entry) => entry.operation));
  const sections = [
    REPORT_MARKER,
    `# ${report.project} schema report ${report.status === "pass" ? "✅" : "❌"}`,
    "",
    `Database \`${report.database}\` (PostgreSQL ${report.postgresVersion}), ${report.generatedAt}. Everything below was read or measured in this run.`,
    "",
    "## Executive summary",
    "",
    v.refusal
      ? `- Verification refused [${v.refusal.code}]: ${v.refusal.summary}`
      : `- Verification by definition: **${passed} of ${v.checks.length} checks pass**${failed ? `, **${failed} fail**` : ""} (expected state built from the Prisma schema with Prisma's own engine plus ${v.expectedObjects.rawObjects.length} objects from raw migrations).`,
    report.applyLog
      ? `- Migration: ${report.applyLog.outcome}${report.applyLog.adoptedBaseline ? ", baseline adopted (structure matched by definition)" : ""}; ${applied} migration(s) applied in ${ms(report.applyLog.durationMs)} ms${operations.length ? `; operations: ${Object.entries(outcomes).map(([k, n]) => `${n} ${k}`).join(", ")}` : ""}.`
      : "- Migration: no apply log was given (run `pnpm db:migrate` first, or pass --apply-log).",
    ...(report.rehearsal ? [`- ${rehearsalSentence(report.rehearsal)}`] : []),
    ...performanceSentences(report.performance).map((s) => `- ${s}`),
    "",
    "## Pre- and post-migration state",
    "",
    report.before ? "" : "Only the state after is known: the report was made without a run of the migrator before it.",
    markdownTable(["object", "before (read from pg_catalog)", "after (read from pg_catalog)"], stateRows(report)),
    "",
    "## Operations (from the migrator's apply log)",
    "",
    operations.length ? markdownTable(["object", "operation", "outcome", "found before", "time"], operations) : report.applyLog ? "No migration was applied in this run: the database was already up to date." : "No apply log was given.",
    "",
    "## Observed rehearsal: what each statement did",
    "",
    report.rehearsal ? renderRehearsalSection(report.rehearsal) : "Not observed in this run (the main job and the PR check observe the migration at the larger scale; `pnpm db:migrate --observe` does it on demand).",
    "",
    "## Foreign keys",
    "",
    report.after.foreignKeys.length
      ? markdownTable(["table", "constraint", "columns", "references", "actions", "validated"], report.after.foreignKeys.map((fk) => [fk.table, `\`${fk.name}\``, fk.columns.join(", "), fk.references, `ON DELETE ${fk.onDelete}, ON UPDATE ${fk.onUpdate}`, fk.validated ? "yes" : "**NO**"]))
      : "The model has no foreign keys.",
    ...(report.after.foreignKeys.length ? ["", changed.size ? "Keys this run changed are drawn thick and orange." : "", "```mermaid", renderForeignKeyDiagram(report.after.foreignKeys, changed), "```"] : []),
    "",
    "## CHECK constraints",
    "",
    report.after.checkConstraints.length ? markdownTable(["table", "constraint", "definition", "state"], report.after.checkConstraints.map((c) => [c.table, `\`${c.name}\``, c.definition, c.validated ? "validated" : "NOT VALID"])) : "The database has no CHECK constraints.",
    "",
    "## Verification",
    "",
    ...(v.refusal ? [`Refused [${v.refusal.code}]: ${v.refusal.summary} ${v.refusal.fix}`, ""] : v.checks.map(checkSection).flatMap((s) => [s, ""])),
    "## Performance of the critical queries",
    "",
    performanceSection(report.performance),
    ...charts.flatMap(({ heading, chart }) => ["", `**${heading}**`, "", "```mermaid", chart, "```"]),
    "",
    "## Rollback plan",
    "",
    ...(report.rollback.length
      ? report.rollback.flatMap((step) => [`### ${step.migration}`, "", step.downSql ? ["```sql", step.downSql.trim(), "```"].join("\n") : "No down.sql: roll forward with a new migration.", ""])
      : [report.applyLog ? "Nothing to roll back: this run applied no migration." : "No apply log was given, so the migrations this run applied are unknown."]),
  ];
  return `${sections.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
