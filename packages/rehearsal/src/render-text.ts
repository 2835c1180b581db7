import type { ObservationSummary, ObservedStep } from "./analyse.ts";
import type { RehearsalFinding } from "./budget.ts";

export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? "-" : bytes > 0 ? "+" : "";
  const size = Math.abs(bytes);
  if (size >= 1024 ** 3) return `${sign}${(size / 1024 ** 3).toFixed(1)} GiB`;
  if (size >= 1024 ** 2) return `${sign}${(size / 1024 ** 2).toFixed(1)} MiB`;
  if (size >= 1024) return `${sign}${(size / 1024).toFixed(1)} KiB`;
  return `${sign}${size} B`;
}

/** "ACCESS EXCLUSIVE on public.item for 212 ms", for each lock of a step. */
export function observedLocksText(step: ObservedStep): string {
  if (step.locks.length === 0) return "none seen";
  return step.locks.map((lock) => `${lock.mode} on ${lock.relation} ${Math.max(0, lock.toMs - lock.fromMs).toFixed(1)} ms`).join("; ");
}

export function writesBlockedText(step: ObservedStep, load: boolean): string {
  if (!load) return "no load";
  return step.writesBlocked.count === 0 ? "none" : `${step.writesBlocked.count}, longest ${step.writesBlocked.longestMs} ms`;
}

/** The observation as terminal text: one block per step, then the findings. */
export function renderObservationText(summary: ObservationSummary, findings: readonly RehearsalFinding[], budgetMs: number): string {
  const lines = ["", "Observed (each step as it ran):"];
  for (const step of summary.steps) {
    lines.push(
      `  ${step.index + 1}. ${step.description}  [${step.migration}]`,
      `     predicted ${step.predicted.lock}${step.predicted.tables.length ? ` on ${step.predicted.tables.join(", ")}` : ""}; observed ${observedLocksText(step)}`,
      `     writes blocked: ${writesBlockedText(step, summary.load.enabled)}; rewrite: ${step.rewrites.length ? step.rewrites.join(", ") : "no"}; WAL ${formatBytes(step.walBytes).replace("+", "")}; size ${formatBytes(step.sizeDeltaBytes)}; ${step.durationMs} ms${step.rows !== undefined ? `; ${step.rows} rows` : ""}`,
    );
    for (const mismatch of step.mismatches) lines.push(`     MISMATCH ${mismatch}`);
  }
  lines.push(
    summary.load.enabled
      ? `  Load: ${summary.load.writes} synthetic writes (typical ${summary.load.typicalMs} ms), ${summary.load.blockedWrites} waited for a lock; pg_locks read ${summary.sampler.reads} times.`
      : `  No synthetic write load (pass --load on to add one); pg_locks read ${summary.sampler.reads} times.`,
  );
  if (findings.length === 0) lines.push(`  Within budget: no write waited over ${budgetMs} ms, no unacknowledged rewrite, every lock as predicted.`);
  for (const finding of findings) lines.push(`  ${finding.code}: ${finding.step}: ${finding.message}`, `    fix: ${finding.fix}`);
  return lines.join("\n");
}
