import type { OperationLog } from "@soleflip/runner";
import type { PerformanceScale } from "./model.ts";
import type { ForeignKeyState } from "./state.ts";

/** Mermaid node ids: letters, digits and underscores only, made unique per distinct name. */
function idFactory(): (key: string) => string {
  const ids = new Map<string, string>();
  return (key: string) => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size}_${key.replace(/[^A-Za-z0-9]/g, "_").slice(0, 40)}`;
      ids.set(key, id);
    }
    return id;
  };
}

/** Mermaid labels in double quotes: quotes become #quot;, other characters are kept. */
const label = (text: string) => text.replaceAll('"', "#quot;");

/** `schema.table.name` of the foreign keys a run's operations changed. */
export function changedForeignKeys(operations: readonly OperationLog[]): Set<string> {
  return new Set(
    operations
      .filter((operation) => operation.kind === "ensure-foreign-key" && operation.outcome !== "already-present")
      .map((operation) => `${operation.subject.schema}.${operation.subject.table}.${operation.subject.name}`),
  );
}

/**
 * The foreign keys as a diagram grouped by schema: one subgraph per schema, an arrow from each
 * referencing table to the table it references, labelled with the columns and actions. Keys the run
 * changed are drawn thick and orange.
 */
export function renderForeignKeyDiagram(foreignKeys: readonly ForeignKeyState[], changed: ReadonlySet<string> = new Set()): string {
  const nodeId = idFactory();
  const tables = new Set<string>();
  const target = (fk: ForeignKeyState) => fk.references.replace(/\(.*$/, "");
  for (const fk of foreignKeys) {
    tables.add(fk.table);
    tables.add(target(fk));
  }
  const bySchema = new Map<string, string[]>();
  for (const table of [...tables].sort()) {
    const dot = table.indexOf(".");
    const schema = table.slice(0, dot);
    bySchema.set(schema, [...(bySchema.get(schema) ?? []), table]);
  }
  const lines = ["flowchart LR"];
  for (const [schema, names] of bySchema) {
    lines.push(`  subgraph ${nodeId(`schema ${schema}`)}["${label(schema)}"]`);
    for (const table of names) lines.push(`    ${nodeId(table)}["${label(table.slice(schema.length + 1))}"]`);
    lines.push("  end");
  }
  const highlighted: number[] = [];
  const sorted = [...foreignKeys].sort((a, b) => a.table.localeCompare(b.table) || a.name.localeCompare(b.name));
  sorted.forEach((fk, index) => {
    const actions = fk.onDelete === "NO ACTION" && fk.onUpdate === "NO ACTION" ? "" : ` del ${short(fk.onDelete)}, upd ${short(fk.onUpdate)}`;
    const invalid = fk.validated ? "" : " NOT VALID";
    lines.push(`  ${nodeId(fk.table)} -->|"${label(`${fk.columns.join(", ")}${actions}${invalid}`)}"| ${nodeId(target(fk))}`);
    if (changed.has(`${fk.table}.${fk.name}`)) highlighted.push(index);
  });
  if (highlighted.length > 0) lines.push(`  linkStyle ${highlighted.join(",")} stroke:#e8590c,stroke-width:4px`);
  return lines.join("\n");
}

function short(action: string): string {
  return { "NO ACTION": "no action", RESTRICT: "restrict", CASCADE: "cascade", "SET NULL": "set null", "SET DEFAULT": "set default" }[action] ?? action;
}

const msText = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3));

/**
 * Colours on white that pass WCAG's 3:1 for graphics (the median bars) and light tints of the same hues for
 * the spread behind them; text in near-black. Before is blue, after orange: told apart without the legend.
 */
export const CHART_COLOURS = { background: "#ffffff", text: "#1a1a1a", axis: "#4a4a4a", beforeSpread: "#b9d3ee", before: "#1f5fa8", afterSpread: "#f6c6a5", after: "#b4400b" } as const;

/** A whole-number log10 of microseconds: 1 = 10 µs, 2 = 0.1 ms, 3 = 1 ms, 4 = 10 ms, 5 = 100 ms. */
const logMicros = (ms: number) => Math.log10(Math.max(ms, 0.001) * 1000);
const AXIS_WORDS: Record<number, string> = { 0: "1 µs", 1: "10 µs", 2: "0.1 ms", 3: "1 ms", 4: "10 ms", 5: "100 ms", 6: "1 s", 7: "10 s" };

/**
 * One chart per scale: each query's median before (blue) and after (orange), with a lighter bar behind each
 * reaching its 75th percentile (the spread), and every bar's value and quartiles in its label. The axis is
 * logarithmic, so 0.05 ms next to 11 ms is a bar, not a hairline; the title stays short so it is never
 * clipped (the scale is named in the heading above the chart).
 */
export function renderTimingCharts(scales: readonly PerformanceScale[]): Array<{ heading: string; chart: string }> {
  return scales.flatMap((scale) => {
    const measured = scale.comparisons.filter((c) => c.after);
    if (measured.length === 0) return [];
    const bars = measured.flatMap((c) => [
      ...(c.before ? [{ side: "before" as const, label: `${c.query.id} before: ${msText(c.before.medianMs)} ms [${msText(c.before.p25Ms)}–${msText(c.before.p75Ms)}]`, m: c.before }] : []),
      ...(c.after ? [{ side: "after" as const, label: `${c.query.id} after: ${msText(c.after.medianMs)} ms [${msText(c.after.p25Ms)}–${msText(c.after.p75Ms)}]`, m: c.after }] : []),
    ]);
    const low = Math.max(0, Math.floor(Math.min(...bars.map((b) => logMicros(b.m.p25Ms))) - 0.5));
    const high = Math.ceil(Math.max(...bars.map((b) => logMicros(b.m.p75Ms))) + 0.25);
    const value = (ms: number) => Number(Math.max(low, logMicros(ms)).toFixed(3));
    // Each bar is its own category (query · before, query · after) so that neither hides the other; the other
    // side's slot gets a value below the axis, which draws no bar at all (a value at the axis would show a stub).
    const none = low - (high - low);
    const series = (side: "before" | "after", pick: (m: PerformanceScale["comparisons"][number]["before"] & object) => number) => bars.map((b) => (b.side === side ? value(pick(b.m)) : none)).join(", ");
    const axis = Array.from({ length: high - low + 1 }, (_, i) => low + i).filter((tick) => AXIS_WORDS[tick]).map((tick) => `${tick} = ${AXIS_WORDS[tick]}`).join(", ");
    const init = {
      theme: "base",
      themeVariables: {
        xyChart: {
          backgroundColor: CHART_COLOURS.background,
          titleColor: CHART_COLOURS.text,
          xAxisLabelColor: CHART_COLOURS.text,
          xAxisTitleColor: CHART_COLOURS.text,
          xAxisTickColor: CHART_COLOURS.axis,
          xAxisLineColor: CHART_COLOURS.axis,
          yAxisLabelColor: CHART_COLOURS.text,
          yAxisTitleColor: CHART_COLOURS.text,
          yAxisTickColor: CHART_COLOURS.axis,
          yAxisLineColor: CHART_COLOURS.axis,
          plotColorPalette: [CHART_COLOURS.beforeSpread, CHART_COLOURS.before, CHART_COLOURS.afterSpread, CHART_COLOURS.after].join(", "),
        },
      },
      // A plot share of 40% leaves the legend room beside the labels; mermaid hides a legend that does not fit.
      xyChart: { width: 1000, height: Math.max(320, 140 + 48 * bars.length), plotReservedSpacePercent: 40, showLegend: true, legendFontSize: 13, titleFontSize: 16, xAxis: { labelFontSize: 13 }, yAxis: { labelFontSize: 13, titleFontSize: 13 } },
    };
    const chart = [
      `%%{init: ${JSON.stringify(init)}}%%`,
      "xychart-beta horizontal",
      `  title "Median execution time, log scale"`,
      `  x-axis [${bars.map((b) => `"${label(b.label)}"`).join(", ")}]`,
      `  y-axis "${label(`log10 of the time in µs: ${axis}`)}" ${low} --> ${high}`,
      `  bar "before, to p75" [${series("before", (m) => m.p75Ms)}]`,
      `  bar "before, median" [${series("before", (m) => m.medianMs)}]`,
      `  bar "after, to p75" [${series("after", (m) => m.p75Ms)}]`,
      `  bar "after, median" [${series("after", (m) => m.medianMs)}]`,
    ].join("\n");
    return [{ heading: `${scale.label}: median execution time of each query, before (blue) and after (orange) the migration`, chart }];
  });
}
