import { describe, expect, it } from "vitest";
import { parseStatements } from "./parse.ts";
import { mustRunOutsideTransaction } from "./transactional.ts";

describe("parseStatements", () => {
  it("splits a script by PostgreSQL's grammar, not by semicolons", async () => {
    const script = [
      "-- leading comment",
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a ON catalog.product (id) WHERE description IS NULL;",
      "DO $$ BEGIN RAISE NOTICE 'a;b'; END $$;",
      "SELECT 'Ü;' AS x",
    ].join("\n");
    const statements = await parseStatements(script);
    expect(statements.map((s) => s.kind)).toEqual(["IndexStmt", "DoStmt", "SelectStmt"]);
    expect(statements[1]?.text).toBe("DO $$ BEGIN RAISE NOTICE 'a;b'; END $$");
    expect(statements[2]?.text).toBe("SELECT 'Ü;' AS x");
    expect(statements.map((s) => s.line)).toEqual([2, 3, 4]);
  });

  it("reports a syntax error with its position", async () => {
    await expect(parseStatements("SELECT 1;\nALTER TABLEX foo ADD x int;", "m.sql")).rejects.toMatchObject({
      code: "sql.syntax-error",
      summary: expect.stringMatching(/m\.sql: syntax error at or near "TABLEX" at line 2, column 7/),
    });
  });
});

describe("mustRunOutsideTransaction", () => {
  it.each([
    ["CREATE INDEX CONCURRENTLY i ON t (a)", true],
    ["CREATE INDEX i ON t (a)", false],
    ["DROP INDEX CONCURRENTLY i", true],
    ["REINDEX INDEX CONCURRENTLY i", true],
    ["REINDEX INDEX i", false],
    ["VACUUM t", true],
    ["ALTER TABLE t ADD COLUMN a int", false],
  ])("%s -> %s", async (sql, expected) => {
    const [statement] = await parseStatements(sql);
    expect(statement && mustRunOutsideTransaction(statement.node)).toBe(expected);
  });
});

describe("statement comments and directives", () => {
  it("attaches the comment lines before a statement to it", async () => {
    const statements = await parseStatements(
      "SELECT 1;\n\n-- migrator:repair backfill-x\n-- migrator:why every row had y\nUPDATE t SET x = 1 WHERE x IS NULL;",
    );
    expect(statements[1]?.comments).toEqual(["migrator:repair backfill-x", "migrator:why every row had y"]);
    expect(statements[1]?.line).toBe(5);
    expect(statements[0]?.comments).toEqual([]);
  });

  it("reads comments only between statements: never a -- inside a string, a dollar quote or a nested block comment", async () => {
    const statements = await parseStatements(
      [
        "/* outer /* inner -- not a comment */ still outer */ -- first: ok",
        "SELECT '-- not a comment' AS a; -- trails the first, opens the second",
        "/* block */",
        "-- ü second",
        "DO $body$ BEGIN -- inside the body",
        "  PERFORM 1; END $body$;",
        ";",
        "-- third",
        "SELECT 'Ü' -- inside the statement",
        "  AS b",
      ].join("\n"),
    );
    expect(statements.map((s) => s.comments)).toEqual([["first: ok"], ["trails the first, opens the second", "ü second"], ["third"]]);
    expect(statements.map((s) => s.line)).toEqual([2, 5, 9]);
    expect(statements[2]?.text).toBe("SELECT 'Ü' -- inside the statement\n  AS b");
  });
});
