import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runRootScript, scratchDatabase, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { userEnv } from "./support.ts";

/** The executive summary's sentences with every figure replaced: what the report claims, not what it measured. */
function headlineClaims(markdown: string): string[] {
  const summary = markdown.split("## Executive summary")[1]?.split("\n## ")[0] ?? "";
  return summary
    .split("\n")
    .filter((line) => line.startsWith("- "))
    .map((line) => line.replace(/\d[\d,]*(\.\d+)?/g, "#"));
}

describe("a report that claims only what it measured", () => {
  it("the main job run twice over the same data says the same things (only the figures move), and claims no speed-up where the plan stayed the same", async () => {
    const target = await scratchDatabase("sf_claims_target");
    const dir = await tempDir("sf-claims");
    // Scale 20: every table under 30,000 rows, so ANALYZE reads every row and the plans cannot depend on its sample.
    const demo = (run: string) => runRootScript("demo", ["--scale", "20", "--report-dir", join(dir, run), "--database-prefix", "sf_claims"], userEnv(target.url));
    const first = await demo("first");
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const second = await demo("second");
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);

    const [a, b] = await Promise.all([readFile(join(dir, "first", "report.md"), "utf8"), readFile(join(dir, "second", "report.md"), "utf8")]);
    const claims = headlineClaims(a);
    expect(claims.length).toBeGreaterThan(4);
    expect(headlineClaims(b)).toEqual(claims);
    // Every timing sentence is either "same plan" (nothing claimed) or a plan change, never a bare ratio.
    const timing = claims.filter((line) => / ms before, /.test(line.replace(/#/g, "1")) || line.includes("ms before"));
    expect(timing.length).toBeGreaterThan(0);
    for (const line of timing) expect(line).toMatch(/no change claimed: same plan|plan changed/);
    // The real size: the same sequential scan before and after, so no speed-up is claimed for it.
    expect(claims.find((line) => line.startsWith("- enrichment-api-query (the real size)"))).toContain("no change claimed: same plan");
  });
});
