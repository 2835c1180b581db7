import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureReport } from "../../test/report-fixture.ts";
import { renderMarkdown } from "./render-markdown.ts";
import { renderForeignKeyDiagram, renderTimingChart } from "./render-mermaid.ts";

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
    const diagram = renderForeignKeyDiagram(fixtureReport().after.foreignKeys);
    expect(diagram).toContain('subgraph schema_inventory["inventory"]');
    expect(diagram).toContain('inventory_stock -->|"size_id restrict/cascade"| catalog_sizes');
    await expect(mermaid.parse(diagram)).resolves.toBeTruthy();
  });

  it("the timing chart parses", async () => {
    const chart = renderTimingChart(fixtureReport().performance);
    expect(chart).toBeDefined();
    await expect(mermaid.parse(chart ?? "")).resolves.toBeTruthy();
  });

  it("every mermaid block of the report parses, and a broken one would not", async () => {
    const blocks = [...renderMarkdown(fixtureReport()).matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    expect(blocks).toHaveLength(2);
    for (const block of blocks) await expect(mermaid.parse(block)).resolves.toBeTruthy();
    await expect(mermaid.parse("flowchart LR\n  a -->|unclosed b")).rejects.toThrow();
  });
});
