import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.ts";

describe("durations in PostgreSQL's units", () => {
  it.each([
    ["250", 250],
    ["250ms", 250],
    ["30s", 30_000],
    ["10min", 600_000],
    ["1.5h", 5_400_000],
    ["1d", 86_400_000],
    [" 2 s ", 2_000],
  ] as const)("%s is %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "ten", "-5s", "5 minutes", "5m", "1e3"])("%j is not a duration", (text) => expect(parseDuration(text)).toBeUndefined());

  it.each([
    [250, "250 ms"],
    [30_000, "30 s"],
    [600_000, "10 min"],
    [7_200_000, "2 h"],
  ] as const)("%d ms reads %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
