import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Measurement } from "@soleflip/verification";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../src/render-markdown.ts";
import { CHART_COLOURS } from "../src/render-mermaid.ts";
import { fixtureReport } from "./report-fixture.ts";
import type { PerformanceScale } from "../src/model.ts";

/**
 * Every diagram of the report as a reader sees it: drawn by Mermaid in a real Chromium (Debian's package,
 * which `npm test` installs), then checked for what makes it readable at a glance: its size, no text cut
 * off at its edges, text and bars that stand out from the background (WCAG contrast), before and after in
 * two colours with a legend, and the shortest bar long enough to see.
 */
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((path) => existsSync(path));
const mermaidBundle = join(dirname(createRequire(import.meta.url).resolve("mermaid")), "mermaid.min.js");

const timing = (queryId: string, median: number, plan: string): Measurement => ({
  queryId,
  runsMs: [median * 0.97, median, median * 1.03],
  medianMs: median,
  minMs: median * 0.97,
  maxMs: median * 1.03,
  p25Ms: median * 0.98,
  p75Ms: median * 1.04,
  planningMedianMs: 0.05,
  nodeTypes: [plan],
  indexesUsed: [],
  rows: 50,
  sharedHitBlocks: 81,
  sharedReadBlocks: 0,
  unusedIndexes: [],
  planShape: plan,
  method: "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), 3 runs after 1 warm-up run(s); server-side Execution Time",
});

/** A scale whose times span three orders of magnitude, as SoleFlip's steady state does: 11 ms next to 0.046 ms. */
const wideScale: PerformanceScale = {
  label: "100× the real size, steady state: 0.5% of products need enrichment",
  rows: { "catalog.product": 76_300 },
  comparisons: [
    { query: { id: "enrichment-job-filter", title: "", sql: "", serves: "", indexes: [] }, before: timing("enrichment-job-filter", 11.32, "Seq Scan"), after: timing("enrichment-job-filter", 0.046, "Index Only Scan") },
    { query: { id: "enrichment-api-query", title: "", sql: "", serves: "", indexes: [] }, before: timing("enrichment-api-query", 1.158, "Seq Scan"), after: timing("enrichment-api-query", 0.129, "Bitmap Heap Scan") },
  ],
};

interface Drawn {
  kind: string;
  error?: string;
  width: number;
  height: number;
  /** Text elements whose box reaches outside the drawing. */
  clipped: string[];
  overlapping: string[];
  texts: Array<{ text: string; fill: string; backdrop: string }>;
  background: string;
  bars: Array<{ series: number; fill: string; width: number }>;
  legend: string[];
  png: number;
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error("Chromium is not installed: `npm test` installs it (apt-get install chromium); install it to run the diagram tests.");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.setContent('<!doctype html><html><body style="background:#ffffff;margin:0"><div id="out"></div></body></html>');
  await page.addScriptTag({ path: mermaidBundle });
  await page.evaluate(() => (window as unknown as { mermaid: { initialize(config: object): void } }).mermaid.initialize({ startOnLoad: false }));
});

afterAll(async () => {
  await browser?.close();
});

async function draw(text: string, index: number): Promise<Drawn> {
  const drawn = await page.evaluate(
    async ({ text, index }) => {
      type Mermaid = { render(id: string, text: string): Promise<{ svg: string }> };
      const mermaid = (window as unknown as { mermaid: Mermaid }).mermaid;
      const out = document.getElementById("out") as HTMLElement;
      try {
        out.innerHTML = (await mermaid.render(`diagram${index}`, text)).svg;
      } catch (error) {
        return { error: String(error) };
      }
      const svg = out.querySelector("svg") as SVGSVGElement;
      const box = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll("text, foreignObject span, foreignObject p")].filter((t) => (t.textContent ?? "").trim() !== "" && t.getBoundingClientRect().width > 0);
      // What a text is read against: the filled shape right under its middle (a bar, a node, a label box), else the page.
      const backdropOf = (element: Element): string => {
        const r = element.getBoundingClientRect();
        for (const under of document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2)) {
          if (under === element || element.contains(under) || under.contains(element) && under.tagName.toLowerCase() !== "g") continue;
          const tag = under.tagName.toLowerCase();
          const style = getComputedStyle(under);
          if (["rect", "path", "polygon", "circle", "ellipse"].includes(tag) && style.fill !== "none" && style.fill !== "transparent" && Number(style.fillOpacity) > 0.5 && Number(style.opacity) > 0.5) return style.fill;
          if (tag === "span" || tag === "div" || tag === "p") {
            const background = style.backgroundColor;
            if (background && !background.endsWith(", 0)") && background !== "transparent") return background;
          }
        }
        return "rgb(255, 255, 255)";
      };
      const colourOf = (element: Element) => (element.tagName.toLowerCase() === "text" ? getComputedStyle(element).fill : getComputedStyle(element).color);
      const clipped = texts.filter((t) => {
        const r = t.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
      });
      const backgroundRect = svg.querySelector(".background") ?? svg.querySelector("rect");
      const background = svg.getAttribute("aria-roledescription") === "xychart" && backgroundRect ? getComputedStyle(backgroundRect).fill : "rgb(255, 255, 255)";
      const bars = [...svg.querySelectorAll("g.bar-plot-0 rect, g.bar-plot-1 rect, g.bar-plot-2 rect, g.bar-plot-3 rect")].map((rect) => ({
        series: Number((rect.parentElement?.getAttribute("class") ?? "").replace(/.*bar-plot-(\d).*/, "$1")),
        fill: getComputedStyle(rect).fill,
        width: rect.getBoundingClientRect().width,
      }));
      const legend = [...svg.querySelectorAll("g.legend text")].map((t) => t.textContent ?? "");
      // Two texts drawn over each other (more than a fifth of the smaller one's box) read as neither.
      const boxes = texts.map((t) => ({ text: t.textContent ?? "", r: t.getBoundingClientRect() }));
      const overlapping: string[] = [];
      boxes.forEach((a, i) => {
        for (const b of boxes.slice(i + 1)) {
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (w > 0 && h > 0 && w * h > 0.2 * Math.min(a.r.width * a.r.height, b.r.width * b.r.height) && !a.text.includes(b.text) && !b.text.includes(a.text)) overlapping.push(`${a.text} / ${b.text}`);
        }
      });
      return {
        overlapping,
        kind: svg.getAttribute("aria-roledescription") ?? "",
        width: box.width,
        height: box.height,
        clipped: clipped.map((t) => t.textContent ?? ""),
        texts: texts.map((t) => ({ text: t.textContent ?? "", fill: colourOf(t), backdrop: backdropOf(t) })),
        background,
        bars,
        legend,
      };
    },
    { text, index },
  );
  if ("error" in drawn && drawn.error) return { kind: "error", error: drawn.error, width: 0, height: 0, clipped: [], overlapping: [], texts: [], background: "", bars: [], legend: [], png: 0 };
  const screenshot = await page.locator("#out svg").screenshot();
  return { ...(drawn as Omit<Drawn, "png">), png: screenshot.length };
}

function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).slice(0, 3).map((part) => {
    const c = Number(part) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}
/** WCAG's contrast ratio of two CSS colours (rgb()). */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const delta = max - Math.min(r, g, b);
  if (delta === 0) return 0;
  const sector = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return (sector * 60 + 360) % 360;
}
const hexToRgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

describe("every diagram of the report, drawn in Chromium", () => {
  const report = fixtureReport({ performance: [...fixtureReport().performance, wideScale] });
  const blocks = [...renderMarkdown(report).matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");

  it("has a diagram of each kind: foreign keys, the rehearsal's timeline, one timing chart per scale", () => {
    expect(blocks.map((block) => block.replace(/^%%\{.*\}%%\n/, "").split("\n")[0]?.split(" ")[0])).toEqual(["gantt", "flowchart", "xychart-beta", "xychart-beta"]);
  });

  it.each(blocks.map((block, index) => [index, block] as const))("diagram %i draws at a readable size, with no text cut off and text that stands out", async (index, block) => {
    const drawn = await draw(block, index);
    expect(drawn.error).toBeUndefined();
    expect(drawn.width).toBeGreaterThanOrEqual(400);
    expect(drawn.height).toBeGreaterThanOrEqual(120);
    expect(drawn.png).toBeGreaterThan(2_000);
    expect(drawn.clipped).toEqual([]);
    expect(drawn.overlapping).toEqual([]);
    const faint = drawn.texts.filter((t) => contrast(t.fill === "none" ? "rgb(0, 0, 0)" : t.fill, t.backdrop) < 4.5);
    expect(faint.map((t) => `${t.text} (${t.fill} on ${t.backdrop})`)).toEqual([]);
  });

  it("a timing chart shows before and after in two strong colours with a legend, the spread behind each, and a 0.046 ms bar you can see next to 11 ms", async () => {
    const index = blocks.length - 1;
    const drawn = await draw(blocks[index] ?? "", index);
    expect(drawn.kind).toBe("xychart");
    expect(drawn.legend).toEqual(["before, to p75", "before, median", "after, to p75", "after, median"]);
    const medians = drawn.bars.filter((bar) => (bar.series === 1 || bar.series === 3) && bar.width > 0);
    expect(new Set(medians.map((bar) => bar.fill))).toEqual(new Set([hexToRgb(CHART_COLOURS.before), hexToRgb(CHART_COLOURS.after)]));
    for (const bar of medians) expect(contrast(bar.fill, drawn.background)).toBeGreaterThanOrEqual(3);
    // Told apart by hue (blue and orange, a pair colour-blind readers also tell apart), not by lightness.
    expect(Math.abs(hue(CHART_COLOURS.before) - hue(CHART_COLOURS.after))).toBeGreaterThan(120);
    expect(medians).toHaveLength(4);
    // The shortest median (0.046 ms, against 11.32 ms) is a bar a reader sees, not a hairline.
    expect(Math.min(...medians.map((bar) => bar.width))).toBeGreaterThanOrEqual(40);
    const spreads = drawn.bars.filter((bar) => (bar.series === 0 || bar.series === 2) && bar.width > 0);
    expect(spreads).toHaveLength(4);
    expect(drawn.texts.some((t) => t.text.includes("enrichment-job-filter after: 0.046 ms [0.045–0.048]"))).toBe(true);
  });
});
