import { formatBytes, observedLocksText, writesBlockedText, type ObservedStep } from "@soleflip/rehearsal";
import type { RehearsalSection } from "./model.ts";
import { markdownTable } from "./table.ts";

const short = (sql: readonly string[]) => {
  const text = sql.join("; ").replace(/\s+/g, " ");
  return text.length > 90 ? `${text.slice(0, 87)}…` : text;
};

function stepRow(step: ObservedStep, load: boolean): string[] {
  return [
    String(step.index + 1),
    `\`${short(step.sql).replaceAll("`", "'")}\``,
    `${step.predicted.lock}${step.predicted.tables.length ? ` on ${step.predicted.tables.join(", ")}` : ""}`,
    `${observedLocksText(step)}${step.mismatches.length ? ` ⚠️ ${step.mismatches.join("; ")}` : ""}`,
    writesBlockedText(step, load),
    step.rewrites.length ? `yes: ${step.rewrites.join(", ")}` : "no",
    formatBytes(step.walBytes).replace("+", ""),
    formatBytes(step.sizeDeltaBytes),
    `${step.durationMs} ms`,
  ];
}

/** One line for the executive summary. */
export function rehearsalSentence(section: RehearsalSection): string {
  const { summary, findings } = section;
  const longest = Math.max(0, ...summary.steps.map((s) => s.writesBlocked.longestMs));
  const rewrites = [...new Set(summary.steps.flatMap((s) => s.rewrites))];
  const mismatches = summary.steps.reduce((n, s) => n + s.mismatches.length, 0);
  return `Observed rehearsal (${section.label}): ${summary.steps.length} statement(s); ${summary.load.enabled ? `longest write wait ${longest} ms (budget ${section.budgetMs} ms)` : "no write load"}; ${rewrites.length ? `rewrote ${rewrites.join(", ")}` : "no table rewritten"}; ${mismatches ? `${mismatches} lock(s) the plan did not predict` : "every lock as predicted"}${findings.length ? ` — **${findings.length} finding(s)**` : ""}.`;
}

/** The observed rehearsal: a table per statement, the findings, and the timeline. */
export function renderRehearsalSection(section: RehearsalSection): string {
  const { summary, findings } = section;
  if (summary.steps.length === 0) return `Nothing ran in the rehearsal (${section.label}): every migration was already applied.`;
  const lines = [
    `${section.label}. ${summary.load.enabled ? `${summary.load.writes.toLocaleString("en-US")} synthetic writes on the touched tables (each takes the ROW EXCLUSIVE lock a write takes), ${summary.load.blockedWrites} of them waited for a lock` : "No synthetic write load"}; pg_locks read ${summary.sampler.reads.toLocaleString("en-US")} times and after every statement. Budget: no write waits over ${section.budgetMs} ms.`,
    "",
    markdownTable(["#", "statement", "predicted lock", "observed locks (held)", "writes blocked", "rewrite", "WAL", "size Δ", "time"], summary.steps.map((step) => stepRow(step, summary.load.enabled))),
    "",
    findings.length === 0
      ? "✅ Within budget: no write waited longer than the budget, no table was rewritten without an acknowledged hazard, and every lock was the one the plan predicted (or weaker)."
      : findings.map((f) => `- ❌ \`${f.code}\` — ${f.step}: ${f.message} Fix: ${f.fix}`).join("\n"),
    "",
    "```mermaid",
    renderRehearsalTimeline(section),
    "```",
  ];
  return lines.join("\n");
}

/** Gantt task names end at the first colon; keep them plain. */
const label = (text: string, max = 60) => {
  const plain = text.replace(/[:;#\n\r]+/g, " ").replace(/\s+/g, " ").trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
};

/**
 * Strong colours with white or near-black text that passes WCAG's 4.5:1 on them: statements blue, locks that
 * block writes dark red, waiting writes light orange with dark text; pale section bands behind.
 */
const GANTT_THEME = {
  theme: "base",
  // Room for the section names ("Locks that block writes") left of the bars, so they never run into a task's text.
  gantt: { leftPadding: 180, fontSize: 13, sectionFontSize: 13 },
  themeVariables: {
    fontSize: "13px",
    textColor: "#1a1a1a",
    titleColor: "#1a1a1a",
    sectionBkgColor: "#eef2f7",
    altSectionBkgColor: "#ffffff",
    sectionBkgColor2: "#fbf3ea",
    gridColor: "#c8c8c8",
    taskBkgColor: "#1f5fa8",
    taskBorderColor: "#174a83",
    taskTextLightColor: "#ffffff",
    taskTextColor: "#ffffff",
    taskTextDarkColor: "#1a1a1a",
    taskTextOutsideColor: "#1a1a1a",
    critBkgColor: "#a61b1b",
    critBorderColor: "#7a1414",
    activeTaskBkgColor: "#f6c6a5",
    activeTaskBorderColor: "#b4400b",
  },
};

/**
 * The rehearsal as a Mermaid gantt chart on a millisecond axis: each statement, each write-blocking lock
 * it held (red), and when the synthetic writes waited (per table).
 */
export function renderRehearsalTimeline(section: RehearsalSection): string {
  const span = (from: number, to: number) => `${Math.round(from)}, ${Math.max(Math.round(from) + 1, Math.round(to))}`;
  const lines = [`%%{init: ${JSON.stringify(GANTT_THEME)}}%%`, "gantt", `  title Rehearsal, ms from the start of the run (${label(section.label, 40)})`, "  dateFormat x", "  axisFormat %S.%L s", "  section Statements"];
  const steps = section.summary.steps.slice(0, 30);
  for (const step of steps) lines.push(`  ${step.index + 1} ${label(step.description)} :s${step.index}, ${span(step.startMs, step.startMs + step.durationMs)}`);
  const blocking = steps.flatMap((step) => step.locks.filter((lock) => ["SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"].includes(lock.mode)).map((lock) => ({ step, lock })));
  if (blocking.length > 0) {
    lines.push("  section Locks that block writes");
    blocking.forEach(({ step, lock }, i) => lines.push(`  ${step.index + 1} ${label(`${lock.mode} ${lock.relation}`)} :crit, l${i}, ${span(lock.fromMs, lock.toMs)}`));
  }
  const waits = section.summary.writeWaits.slice(0, 30);
  if (waits.length > 0) {
    lines.push("  section Writes waiting");
    waits.forEach((wait, i) => lines.push(`  ${label(wait.table)} :active, w${i}, ${span(wait.fromMs, wait.toMs)}`));
  }
  return lines.join("\n");
}
