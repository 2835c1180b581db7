import { readFile, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { legacyDatabase, legacyRows } from "@soleflip/db/testing";
import { runRootScript, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { userEnv } from "./support.ts";

interface RunRecord {
  command: string;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
}

describe("every run's files are its own", () => {
  it("a dry run, the run, and a verify each write a folder of their own; reports/<command> and reports/latest point at the newest; nothing is overwritten", async () => {
    const url = await legacyDatabase("sf_run_folders", legacyRows);
    const reports = await tempDir("sf-run-folders");
    const env = userEnv(url, { SOLEFLIP_REPORTS_DIR: reports });

    const dry = await runRootScript("db:migrate", ["--dry-run"], env);
    expect(dry.exitCode, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Apply log: .*runs\/\d{8}-\d{6}(-\d+)?-migrate-dry-run\/apply-log\.json \(.*migrate-dry-run points at the newest dry run\)/);
    const applied = await runRootScript("db:migrate", [], env);
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    const verified = await runRootScript("db:verify", ["--no-performance"], env);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/Run folder: .*runs\/\d{8}-\d{6}(-\d+)?-verify \(.*verify points at the newest verify run\)/);

    // The dry run's apply log survives the real run; each pointer names its own command's run.
    const dryLog = JSON.parse(await readFile(join(reports, "migrate-dry-run", "apply-log.json"), "utf8")) as { dryRun: boolean; outcome: string };
    const runLog = JSON.parse(await readFile(join(reports, "migrate", "apply-log.json"), "utf8")) as { dryRun: boolean; outcome: string };
    expect([dryLog.dryRun, dryLog.outcome]).toEqual([true, "dry-run"]);
    expect([runLog.dryRun, runLog.outcome]).toEqual([false, "applied"]);
    expect(await readFile(join(reports, "verify", "report.md"), "utf8")).toContain("schema report ✅");
    const runs = (await readdir(join(reports, "runs"))).sort();
    expect(runs.map((name) => name.replace(/^\d{8}-\d{6}(-\d+)?-/, ""))).toEqual(["migrate-dry-run", "migrate", "verify"]);
    expect(await readlink(join(reports, "latest"))).toBe(`runs/${runs[2] ?? ""}`);
    const record = JSON.parse(await readFile(join(reports, "runs", runs[1] ?? "", "run.json"), "utf8")) as RunRecord;
    expect(record).toMatchObject({ command: "migrate", exitCode: 0 });
    expect(Date.parse(record.finishedAt)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));

    // A run that fails before writing anything leaves no folder and moves no pointer.
    const refused = await runRootScript("db:migrate", ["--lock-timeout", "0"], env);
    expect(refused.exitCode).toBe(1);
    expect((await readdir(join(reports, "runs"))).length).toBe(3);
  });
});
