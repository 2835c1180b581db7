import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePaths } from "../src/launch.mjs";

const run = promisify(execFile);

// A copy of the fixture inside this package, so that its npm imports resolve as a real app's do.
let app: string;
beforeAll(async () => {
  app = await mkdtemp(join(import.meta.dirname, "fixtures", "tmp-app-"));
  await cp(join(import.meta.dirname, "fixtures", "app"), app, { recursive: true });
});
afterAll(async () => {
  const paths = bundlePaths(join(app, "src", "main.ts"));
  await Promise.all([rm(app, { recursive: true, force: true }), rm(paths.bundle, { force: true }), rm(paths.manifest, { force: true })]);
});

async function launchApp(env: Record<string, string> = {}): Promise<{ bundled: boolean; rebuilt: boolean; answer: string }> {
  const { stdout } = await run(process.execPath, [join(app, "bin.mjs")], { env: { ...process.env, ...env } });
  return JSON.parse(stdout) as { bundled: boolean; rebuilt: boolean; answer: string };
}

describe("launch", () => {
  it("bundles the entry once, with its files found next to their sources and npm packages resolved as Node would", async () => {
    expect(await launchApp()).toEqual({ bundled: true, rebuilt: true, answer: "hello from-data-file function" });
    expect(await launchApp()).toEqual({ bundled: true, rebuilt: false, answer: "hello from-data-file function" });
  });

  it("rebuilds when a source file changes", async () => {
    await writeFile(join(app, "src", "helper.ts"), 'export function greeting(): string {\n  return "changed";\n}\n');
    expect(await launchApp()).toEqual({ bundled: true, rebuilt: true, answer: "changed from-data-file function" });
  });

  it("runs through tsx when asked to", async () => {
    expect(await launchApp({ SOLEFLIP_NO_BUNDLE: "1" })).toEqual({ bundled: false, rebuilt: false, answer: "changed from-data-file function" });
  });

  it("falls back to tsx when the sources do not bundle, which reports the error as it always did", async () => {
    await writeFile(join(app, "src", "helper.ts"), "export function greeting(: string {\n");
    const failed = await launchApp().then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("helper.ts");
    await writeFile(join(app, "src", "helper.ts"), 'export function greeting(): string {\n  return "fixed";\n}\n');
    expect(await launchApp()).toEqual({ bundled: true, rebuilt: true, answer: "fixed from-data-file function" });
  });
});
