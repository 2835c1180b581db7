import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureRehearsal, fixtureReport } from "../test/report-fixture.ts";
import { renderMarkdown } from "./render-markdown.ts";
import { renderForeignKeyDiagram, renderTimingCharts } from "./render-mermaid.ts";
import { renderRehearsalTimeline } from "./render-rehearsal.ts";

type Mermaid = { parse(text: string): Promise<unknown>; initialize(config: object): void };
let mermaid: Mermaid;

beforeAll(async () => {
  // mermaid.parse needs a DOM (DOMPurify); jsdom gives it one without a browser.
  const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
  Object.assign(globalThis, { window: dom.window, document: dom.window.document, DOMParser: dom.window.DOMParser, Element: dom.window.Element, HTMLElement: dom.window.HTMLElement });
  mermaid = (await import("mermaid")).default as unknown as Mermaid;
  mermaid.initialize({ startOnLoad: false });
});

describe("Mermaid blocks", () => {
  it("the foreign-key diagram groups tables by schema and parses", async () => {
    const diagram = renderForeignKeyDiagram(fixtureReport().after.foreignKeys, new Set(["inventory.stock.stock_size_id_fkey"]));
    expect(diagram).toMatch(/subgraph n\d+_schema_inventory\["inventory"\]/);
    expect(diagram).toMatch(/n\d+_inventory_stock -->\|"size_id del restrict, upd cascade"\| n\d+_catalog_sizes/);
    expect(diagram).toMatch(/linkStyle \d+ stroke:#e8590c,stroke-width:4px/);
    await expect(mermaid.parse(diagram)).resolves.toBeTruthy();
  });

  it("names with quotes, dots and keywords stay labels and the diagram still parses", async () => {
    const diagram = renderForeignKeyDiagram([{ name: 'fk"1', table: 'my schema.Order "x"', columns: ["userId"], references: "my schema.end(id)", onDelete: "CASCADE", onUpdate: "NO ACTION", validated: true }]);
    await expect(mermaid.parse(diagram)).resolves.toBeTruthy();
  });

  it("one timing chart per scale: before and after in two series with a legend, the spread behind each median, values and quartiles in the labels, a log axis; each parses", async () => {
    const charts = renderTimingCharts(fixtureReport().performance);
    expect(charts).toHaveLength(1);
    const chart = charts[0]?.chart ?? "";
    expect(charts[0]?.heading).toContain("before (blue) and after (orange)");
    expect(chart).toContain('"enrichment-job-filter before: 0.089 ms [0.085–0.093]", "enrichment-job-filter after: 0.084 ms [0.080–0.088]"');
    // Each series holds its own side's values; the other side's slots lie below the axis, drawing no bar.
    expect(chart).toContain('bar "before, median" [1.949, -1]');
    expect(chart).toContain('bar "after, median" [-1, 1.924]');
    expect(chart).toContain('y-axis "log10 of the time in µs: 1 = 10 µs, 2 = 0.1 ms, 3 = 1 ms" 1 --> 3');
    expect(chart).toContain('"showLegend":true');
    for (const { chart: each } of charts) await expect(mermaid.parse(each)).resolves.toBeTruthy();
  });

  it("every mermaid block of the report parses, and a broken one would not", async () => {
    const blocks = [...renderMarkdown(fixtureReport()).matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    expect(blocks).toHaveLength(3);
    for (const block of blocks) await expect(mermaid.parse(block)).resolves.toBeTruthy();
    await expect(mermaid.parse("flowchart LR\n  a -->|unclosed b")).rejects.toThrow();
  });

  it("the rehearsal timeline puts statements, write-blocking locks and waiting writes on a millisecond axis, and parses", async () => {
    const chart = renderRehearsalTimeline(fixtureRehearsal());
    expect(chart).toContain("dateFormat x");
    expect(chart).toContain("2 amount integer → bigint (rewrites the table) :s1, 10, 232");
    expect(chart).toContain("2 ACCESS EXCLUSIVE sales.order :crit, l2, 10, 232");
    expect(chart).toContain("sales.order :active, w0, 12, 233");
    // the brief SHARE ROW EXCLUSIVE of the NOT VALID key blocks no writes' table for long, but is still drawn
    expect(chart).toMatch(/1 SHARE ROW EXCLUSIVE catalog\.sizes :crit, l\d, 1, 2/);
    await expect(mermaid.parse(chart)).resolves.toBeTruthy();
  });
});
