/**
 * A duration as PostgreSQL writes a time setting (`250ms`, `30s`, `10min`, `2h`, `1d`; a bare number is
 * milliseconds), so an operator gives the runner a timeout in the same words as `ALTER ROLE … SET`.
 * Returns milliseconds, or undefined when the text is not such a duration.
 */
const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 1);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** Milliseconds in the largest unit that keeps them whole-ish: "250 ms", "30 s", "10 min", "2 h". */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))} s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
