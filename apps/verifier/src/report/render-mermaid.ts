import type { PerformanceScale } from "./model.ts";
import type { ForeignKeyState } from "./state.ts";

const nodeId = (table: string) => table.replace(/[^A-Za-z0-9]/g, "_");

/**
 * The foreign keys as a diagram grouped by schema: one subgraph per schema, an arrow from each
 * referencing table to the table it references, labelled with the columns and actions.
 */
export function renderForeignKeyDiagram(foreignKeys: readonly ForeignKeyState[]): string {
  const tables = new Set<string>();
  for (const fk of foreignKeys) {
    tables.add(fk.table);
    tables.add(fk.references.replace(/\(.*$/, ""));
  }
  const bySchema = new Map<string, string[]>();
  for (const table of [...tables].sort()) {
    const [schema = "", name = ""] = table.split(".");
    bySchema.set(schema, [...(bySchema.get(schema) ?? []), name]);
  }
  const lines = ["flowchart LR"];
  for (const [schema, names] of bySchema) {
    lines.push(`  subgraph ${nodeId(`schema_${schema}`)}["${schema}"]`);
    for (const name of names) lines.push(`    ${nodeId(`${schema}.${name}`)}["${name}"]`);
    lines.push("  end");
  }
  for (const fk of [...foreignKeys].sort((a, b) => a.table.localeCompare(b.table) || a.name.localeCompare(b.name))) {
    const target = fk.references.replace(/\(.*$/, "");
    const actions = fk.onDelete === "NO ACTION" && fk.onUpdate === "NO ACTION" ? "" : ` ${short(fk.onDelete)}/${short(fk.onUpdate)}`;
    const invalid = fk.validated ? "" : " NOT VALID";
    lines.push(`  ${nodeId(fk.table)} -->|"${fk.columns.join(", ")}${actions}${invalid}"| ${nodeId(target)}`);
  }
  return lines.join("\n");
}

function short(action: string): string {
  return { "NO ACTION": "no action", RESTRICT: "restrict", CASCADE: "cascade", "SET NULL": "set null", "SET DEFAULT": "set default" }[action] ?? action;
}

/** Median server-side times before and after, per query and scale, as a bar chart. */
export function renderTimingChart(scales: readonly PerformanceScale[]): string | undefined {
  const bars = scales.flatMap((scale) =>
    scale.comparisons.filter((c) => c.before).map((c) => ({ label: `${c.query.id.replace("enrichment-", "")} @${scale.products}`, before: c.before?.medianMs ?? 0, after: c.after.medianMs })),
  );
  if (bars.length === 0) return undefined;
  const max = Math.max(...bars.flatMap((b) => [b.before, b.after]));
  return [
    "xychart-beta",
    '  title "Median execution time, ms (before: first bar, after: second)"',
    `  x-axis [${bars.map((b) => `"${b.label}"`).join(", ")}]`,
    `  y-axis "ms" 0 --> ${Math.ceil(max * 1.1 * 100) / 100}`,
    `  bar [${bars.map((b) => b.before).join(", ")}]`,
    `  bar [${bars.map((b) => b.after).join(", ")}]`,
  ].join("\n");
}
