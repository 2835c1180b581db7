import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";
import { readCriticalQueries, readCriticalQuery } from "../src/critical-queries.ts";
import { loadProject, readSchemaFiles } from "../src/project.ts";

const SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id\n}\n';

describe("loadProject", () => {
  it("finds the schema and migrations as Prisma does: prisma.config.ts, else prisma/schema.prisma; flags win", async () => {
    const dir = await tempDir("sf-project");
    await mkdir(join(dir, "db"), { recursive: true });
    await writeFile(join(dir, "db", "main.prisma"), SCHEMA);
    await writeFile(join(dir, "prisma.config.ts"), 'export default { schema: "db/main.prisma", migrations: { path: "db/history" }, datasource: { url: process.env["DATABASE_URL"] ?? "" } };\n');
    const project = await loadProject({ cwd: dir });
    expect(project).toMatchObject({ root: dir, schemaPath: join(dir, "db", "main.prisma"), migrationsDir: join(dir, "db", "history"), queriesDir: join(dir, "db", "queries"), seedPath: join(dir, "db", "demo", "seed.sql") });
    const overridden = await loadProject({ cwd: dir, migrations: "elsewhere" });
    expect(overridden.migrationsDir).toBe(join(dir, "elsewhere"));

    const plain = await tempDir("sf-project-plain");
    await mkdir(join(plain, "prisma"));
    await writeFile(join(plain, "prisma", "schema.prisma"), SCHEMA);
    expect(await loadProject({ cwd: plain })).toMatchObject({ configPath: undefined, schemaPath: join(plain, "prisma", "schema.prisma"), migrationsDir: join(plain, "prisma", "migrations") });
  });

  it("reads a config that uses env() without DATABASE_URL set, and names what is missing", async () => {
    const dir = await tempDir("sf-project-errors");
    await expect(loadProject({ cwd: dir })).rejects.toMatchObject({ code: "project.schema-missing" });
    await expect(loadProject({ cwd: dir, config: "nope.config.ts" })).rejects.toMatchObject({ code: "project.config-missing" });
    await writeFile(join(dir, "broken.config.ts"), "export default {{;\n");
    await expect(loadProject({ cwd: dir, config: "broken.config.ts" })).rejects.toMatchObject({ code: "project.config-invalid" });
  });

  it("reads a multi-file schema folder as Prisma does", async () => {
    const dir = await tempDir("sf-project-multi");
    await mkdir(join(dir, "schema", "models"), { recursive: true });
    await writeFile(join(dir, "schema", "main.prisma"), 'datasource db {\n  provider = "postgresql"\n}\n');
    await writeFile(join(dir, "schema", "models", "a.prisma"), "model A {\n  id Int @id\n}\n");
    const files = await readSchemaFiles({ schemaPath: join(dir, "schema") });
    expect(files.map(([path]) => path.slice(dir.length))).toEqual(["/schema/main.prisma", "/schema/models/a.prisma"]);
  });
});

describe("critical queries", () => {
  it("read one SELECT per file with its header; the file name is the default id", async () => {
    const dir = await tempDir("sf-queries");
    await writeFile(join(dir, "orders-by-user.sql"), "-- title: Orders of a user\n-- serves: the account page\n-- indexes: order_user_idx, order_created_idx\nSELECT * FROM \"Order\" WHERE \"userId\" = 1;\n");
    const [query] = await readCriticalQueries(dir);
    expect(query).toMatchObject({ id: "orders-by-user", title: "Orders of a user", serves: "the account page", indexes: ["order_user_idx", "order_created_idx"], sql: 'SELECT * FROM "Order" WHERE "userId" = 1' });
    expect(await readCriticalQueries(join(dir, "none"))).toEqual([]);
  });

  it("refuse a file that changes data, holds two statements, or has an unknown header key", async () => {
    const dir = await tempDir("sf-queries-bad");
    await writeFile(join(dir, "a.sql"), "DELETE FROM t;\n");
    await writeFile(join(dir, "b.sql"), "SELECT 1; SELECT 2;\n");
    await writeFile(join(dir, "c.sql"), "-- owner: me\nSELECT 1;\n");
    for (const name of ["a.sql", "b.sql", "c.sql"]) await expect(readCriticalQuery(join(dir, name))).rejects.toMatchObject({ code: "project.query-invalid" });
  });
});
