import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminDatabaseUrl, withPassword } from "@soleflip/postgres/testing";
import { afterAll, describe, expect, it } from "vitest";
import { dbPackagePaths } from "../src/paths.ts";
import { runDbPrisma } from "../src/prisma.ts";
import { projectCopy } from "../src/testing.ts";

const SECRET = "Sup3r-Secret-Pw";

describe("Prisma through the offline engine fails clearly", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("on an unreachable database: P1001, non-zero exit, no password", async () => {
    const run = await runDbPrisma(["migrate", "deploy"], `postgresql://app:${SECRET}@127.0.0.1:1/soleflip`);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/P1001|Can't reach database server at `127\.0\.0\.1:1`/);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it("on a wrong password: P1000, non-zero exit, the password never printed", async () => {
    const run = await runDbPrisma(["migrate", "status"], withPassword(adminDatabaseUrl(), SECRET));
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/P1000|Authentication failed/);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it("on an invalid schema: validation error naming the problem, non-zero exit", async () => {
    const workdir = (await projectCopy("sf-invalid-schema-")).root;
    const schemaPath = join(workdir, "prisma", "schema.prisma");
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(schemaPath, schema.replace(/(stock\s+)Stock(\s+@relation\(fields: \[inventoryItemId\], references: \[id\], onDelete: Restrict)/, "$1Stok$2"));
    const run = await runDbPrisma(["validate"], adminDatabaseUrl(), { cwd: workdir });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Type "Stok" is neither a built-in type, nor refers to another model/);
  });
});
