import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { soleflipProject } from "@soleflip/db/paths";
import { loadProject } from "@soleflip/project";
import { withClient } from "@soleflip/postgres";
import { adminDatabaseUrl, scratchDatabase, tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { demoCommand } from "../src/commands/demo.ts";

describe("the main job (demo)", () => {
  it("builds the pre-fix state with demo data in databases it owns, migrates, verifies and reports; the DATABASE_URL database gets no demo rows", async () => {
    const target = await scratchDatabase("sf_demo_target");
    const reportDir = await tempDir("sf-demo-report");
    const lines: string[] = [];
    const result = await demoCommand({ scale: 2, runs: 2, reportDir, databasePrefix: "sf_demo_test" }, { env: { DATABASE_URL: target.url, SHADOW_DATABASE_URL: adminDatabaseUrl() }, project: soleflipProject, workspaceRoot: tmpdir(), say: (line) => lines.push(line) });
    expect(result.exitCode).toBe(0);
    expect(result.report.status).toBe("pass");
    expect(result.report.applyLog?.adoptedBaseline).toBe("20251117000000_baseline");
    expect(result.report.performance.map((p) => [p.label, p.rows["catalog.product"]])).toEqual([
      ["the real size", 763],
      ["2× the real size", 1526],
      ["2× the real size, steady state: 0.5% of products need enrichment", 1526],
    ]);
    // the larger scale's migration was observed under synthetic writes, step by step, within budget
    const rehearsal = result.report.rehearsal;
    expect(rehearsal?.summary.load.enabled).toBe(true);
    expect(rehearsal?.summary.load.writes).toBeGreaterThan(0);
    expect(rehearsal?.findings).toEqual([]);
    // At twice the real size an index build takes a few milliseconds: the sampler may not catch it, but
    // whatever it saw is SHARE UPDATE EXCLUSIVE (the rehearsal package's own tests use a large table).
    const builds = rehearsal?.summary.steps.filter((s) => s.sql[0]?.startsWith("CREATE INDEX CONCURRENTLY")) ?? [];
    expect(builds).toHaveLength(4);
    expect(builds.flatMap((s) => s.locks.map((l) => `${l.mode} ${l.relation}`)).every((l) => l === "SHARE UPDATE EXCLUSIVE catalog.product")).toBe(true);
    expect(rehearsal?.summary.steps.every((s) => s.mismatches.length === 0)).toBe(true);
    expect(JSON.parse(await readFile(`${reportDir}/observation.json`, "utf8"))).toMatchObject({ config: { writeBlockBudgetMs: 150 }, summary: { steps: expect.any(Array) } });
    expect(result.report.performance[0]?.comparisons[0]?.before?.runsMs).toHaveLength(2);
    expect(result.report.before?.foreignKeys.find((fk) => fk.name === "stock_size_id_fkey")?.validated).toBe(false);
    expect(result.report.after.foreignKeys.find((fk) => fk.name === "stock_size_id_fkey")?.validated).toBe(true);
    const markdown = await readFile(result.files.markdown, "utf8");
    expect(markdown).toContain("## Operations");
    expect(markdown).toContain("## Observed rehearsal: what each statement did");
    expect(markdown).toMatch(/\| CREATE INDEX CONCURRENTLY|`CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_product_description_null/);
    expect(JSON.parse(await readFile(result.applyLogs[0] ?? "", "utf8"))).toMatchObject({ outcome: "applied" });
    // the target database itself stays empty: the demo wrote into soleflip_demo* databases on its server
    const tables = await withClient(target.url, async (client) => (await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")).rows[0]);
    expect(tables).toEqual({ n: 0 });
    expect(lines.some((line) => line.includes("sf_demo_test_x2"))).toBe(true);
  });

  it("refuses to rebuild a demo database it did not create, and the DATABASE_URL database itself, leaving both untouched", async () => {
    const reportDir = await tempDir("sf-demo-refuse");
    const theirs = `sf_demo_theirs_${Date.now().toString(36)}`;
    await withClient(adminDatabaseUrl(), (client) => client.query(`CREATE DATABASE ${theirs}`));
    await withClient(adminDatabaseUrl().replace(/\/postgres$/, `/${theirs}`), (client) => client.query("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)"));
    const env = { DATABASE_URL: adminDatabaseUrl(), SHADOW_DATABASE_URL: adminDatabaseUrl() };
    await expect(demoCommand({ scale: 1, runs: 1, reportDir, databasePrefix: theirs }, { env, project: soleflipProject, workspaceRoot: tmpdir(), say: () => undefined })).rejects.toMatchObject({ code: "postgres.not-owned" });
    const kept = await withClient(adminDatabaseUrl().replace(/\/postgres$/, `/${theirs}`), async (client) => (await client.query("SELECT count(*)::int AS n FROM precious")).rows[0]);
    expect(kept).toEqual({ n: 1 });
    const target = await scratchDatabase("sf_demo_self");
    await expect(demoCommand({ scale: 1, runs: 1, reportDir, databasePrefix: target.name }, { env: { DATABASE_URL: target.url, SHADOW_DATABASE_URL: adminDatabaseUrl() }, project: soleflipProject, workspaceRoot: tmpdir(), say: () => undefined })).rejects.toMatchObject({ code: "verifier.demo.target-database" });
    await withClient(adminDatabaseUrl(), async (client) => {
      await client.query(`DROP DATABASE ${theirs}`);
    });
  });

  it("runs on a plain Prisma project too (the shop example: public schema, camelCase, implicit m2m, enums, composite key): report and all", async () => {
    const project = await loadProject({ cwd: fileURLToPath(new URL("../../../examples/shop/", import.meta.url)) });
    const reportDir = await tempDir("sf-demo-shop");
    const result = await demoCommand({ scale: 2, runs: 2, reportDir, databasePrefix: "sf_demo_shop" }, { env: { DATABASE_URL: adminDatabaseUrl(), SHADOW_DATABASE_URL: adminDatabaseUrl() }, project, workspaceRoot: tmpdir(), say: () => undefined });
    expect(result.exitCode).toBe(0);
    expect(result.report.project).toBe("shop");
    expect(result.report.verification.checks.map((c) => [c.id, c.status]).filter(([, status]) => status !== "pass")).toEqual([]);
    expect(result.report.performance.flatMap((scale) => scale.comparisons.map((c) => c.query.id))).toEqual(["orders-of-a-user", "products-of-a-category", "orders-of-a-user", "products-of-a-category"]);
    const markdown = await readFile(result.files.markdown, "utf8");
    expect(markdown).toContain("# shop schema report ✅");
    expect(markdown).toContain("Order_userId_fkey");
    await withClient(adminDatabaseUrl(), async (client) => {
      await client.query("DROP DATABASE sf_demo_shop WITH (FORCE)");
      await client.query("DROP DATABASE sf_demo_shop_x2 WITH (FORCE)");
    });
  });
});
