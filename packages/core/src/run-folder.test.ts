import { mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KEPT_RUNS, openRunFolder } from "./run-folder.ts";

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function reportsRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sf-runs-"));
  made.push(dir);
  return join(dir, "reports");
}

describe("run folders", () => {
  it("gives every run a folder of its own (two in the same second too) and points <command> and latest at the newest finished one", async () => {
    const root = await reportsRoot();
    const now = new Date("2026-12-07T02:15:00Z");
    const first = await openRunFolder(root, "migrate", { args: ["--dry-run"], now });
    const second = await openRunFolder(root, "migrate", { args: [], now });
    expect([first.name, second.name]).toEqual(["20261207-021500-migrate", "20261207-021500-2-migrate"]);
    await writeFile(first.file("apply-log.json"), "first");
    await writeFile(second.file("apply-log.json"), "second");
    await second.finish({ exitCode: 0 });
    expect(await readlink(join(root, "migrate"))).toBe("runs/20261207-021500-2-migrate");
    await first.finish({ exitCode: 2 });
    expect(await readFile(join(root, "migrate", "apply-log.json"), "utf8")).toBe("first");
    expect(await readFile(join(root, "runs", second.name, "apply-log.json"), "utf8")).toBe("second");
    const verify = await openRunFolder(root, "verify", { args: [] });
    await verify.finish({ exitCode: 0 });
    expect(await readlink(join(root, "latest"))).toBe(`runs/${verify.name}`);
    expect(await readlink(join(root, "migrate"))).toBe("runs/20261207-021500-migrate");
    expect(JSON.parse(await readFile(first.file("run.json"), "utf8"))).toMatchObject({ command: "migrate", args: ["--dry-run"], exitCode: 2, startedAt: "2026-12-07T02:15:00.000Z" });
  });

  it("keeps the newest runs of a command, leaves other commands' runs and anything not of its layout alone", async () => {
    const root = await reportsRoot();
    await mkdir(join(root, "runs", "my-notes"), { recursive: true });
    const other = await openRunFolder(root, "verify", { args: [], now: new Date("2026-01-01T00:00:00Z") });
    await other.finish({ exitCode: 0 });
    for (let i = 0; i < KEPT_RUNS + 3; i++) {
      const run = await openRunFolder(root, "demo", { args: [], now: new Date(Date.UTC(2026, 5, 1, 0, 0, i)) });
      await run.finish({ exitCode: 0 });
    }
    const names = await readdir(join(root, "runs"));
    expect(names.filter((name) => name.endsWith("-demo"))).toHaveLength(KEPT_RUNS);
    expect(names).toContain("my-notes");
    expect(names).toContain(other.name);
    expect(names).not.toContain("20260601-000000-demo");
  });

  it("never replaces a file or folder of that name that is not its pointer", async () => {
    const root = await reportsRoot();
    await mkdir(join(root, "demo"), { recursive: true });
    await writeFile(join(root, "demo", "mine.txt"), "kept");
    const run = await openRunFolder(root, "demo", { args: [] });
    await run.finish({ exitCode: 0 });
    expect(await readFile(join(root, "demo", "mine.txt"), "utf8")).toBe("kept");
    expect(await readlink(join(root, "latest"))).toBe(`runs/${run.name}`);
  });
});
