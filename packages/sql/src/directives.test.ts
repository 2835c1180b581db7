import { describe, expect, it } from "vitest";
import { readDirectives } from "./directives.ts";

describe("readDirectives", () => {
  it("reads a repair with its reason", () => {
    expect(readDirectives(["migrator:repair fill-platform", "migrator:why before the fix", "migrator:why every order was StockX"]).repair).toEqual({
      id: "fill-platform",
      why: "before the fix every order was StockX",
    });
  });

  it("requires reasons", () => {
    const directives = readDirectives(["migrator:repair fill-platform", "migrator:allow-hazard DELETES_DATA", "migrator-ignore require-lock-timeout"]);
    expect(directives.repair).toBeUndefined();
    expect(directives.problems).toHaveLength(3);
  });

  it("reads acknowledged hazards and lint suppressions", () => {
    const directives = readDirectives(["migrator:allow-hazard DELETES_DATA: column unused since 2024", "migrator-ignore ban-drop-column: same"]);
    expect(directives.allowHazards).toEqual([{ hazard: "DELETES_DATA", reason: "column unused since 2024" }]);
    expect(directives.ignoreRules).toEqual([{ rule: "ban-drop-column", reason: "same" }]);
  });

  it("flags unknown directives", () => {
    expect(readDirectives(["migrator:repiar x"]).problems).toEqual(['unknown directive "migrator:repiar x"']);
  });

  it.each([
    ["migrator:statement-timeout 10min", 600_000, 0],
    ["migrator:statement-timeout 0", undefined, 1],
    ["migrator:statement-timeout soon", undefined, 1],
  ] as const)("reads %j", (comment, ms, problems) => {
    const directives = readDirectives([comment]);
    expect(directives.statementTimeoutMs).toBe(ms);
    expect(directives.problems).toHaveLength(problems);
  });

  it.each([
    ["migrator:contract-of 20261207120000_rename_note_expand", "20261207120000_rename_note_expand", 0],
    ["migrator:contract-of", undefined, 1],
    ["migrator:contract-of rename note", undefined, 1],
  ] as const)("reads %j", (comment, expand, problems) => {
    const directives = readDirectives([comment]);
    expect(directives.contractOf).toBe(expand);
    expect(directives.problems).toHaveLength(problems);
  });

  it("reads a gate", () => {
    expect(readDirectives(["migrator:gate"]).gate).toBe(true);
    expect(readDirectives(["migrator:gate now"]).problems).toEqual(['unknown directive "migrator:gate now"']);
  });
});
