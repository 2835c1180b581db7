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

/**
 * Median server-side times, before and after, one chart per scale (so a sub-millisecond query is not
 * flattened next to a slow one at another scale), one labelled bar each, before and after side by side.
 */
const msText = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3));

export function renderTimingCharts(scales: readonly PerformanceScale[]): string[] {
  return scales.flatMap((scale) => {
    const measured = scale.comparisons.filter((c) => c.after);
    if (measured.length === 0) return [];
    // Each bar's label carries its value: a 0.07 ms bar next to a 17 ms one is too short to read.
    const bars = measured.flatMap((c) => [
      ...(c.before ? [{ label: `${c.query.id} before: ${msText(c.before.medianMs)} ms`, value: c.before.medianMs }] : []),
      { label: `${c.query.id} after: ${msText(c.after?.medianMs ?? 0)} ms`, value: c.after?.medianMs ?? 0 },
    ]);
    const max = Math.max(...bars.map((b) => b.value));
    return [[
      "xychart-beta horizontal",
      `  title "${label(`${scale.label}: median execution time (ms)`)}"`,
      `  x-axis [${bars.map((b) => `"${label(b.label)}"`).join(", ")}]`,
      `  y-axis "ms" 0 --> ${Number((max * 1.15 || 1).toPrecision(3))}`,
      `  bar [${bars.map((b) => b.value).join(", ")}]`,
    ].join("\n")];
  });
}
