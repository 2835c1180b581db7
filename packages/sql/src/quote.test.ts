import { describe, expect, it } from "vitest";
import { parseStatementsSync, ensureParserLoaded } from "./parse.ts";
import { quoteIdent, quoteLiteral, quoteQualified } from "./quote.ts";

const HOSTILE = ["order", "user", "position", "left", "time", "Mixed Case", 'a"b', "semi;colon", "größe", "x".repeat(63), "userId", "select"];

describe("quoteIdent", () => {
  it("leaves plain names bare and quotes everything else the way PostgreSQL does", () => {
    expect(quoteIdent("product")).toBe("product");
    expect(quoteIdent("order")).toBe('"order"');
    expect(quoteIdent("left")).toBe('"left"');
    expect(quoteIdent("position")).toBe('"position"');
    expect(quoteIdent("userId")).toBe('"userId"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteQualified("sales", "order")).toBe('sales."order"');
  });

  it.each(HOSTILE)("round-trips %s through PostgreSQL's parser as one identifier", async (name) => {
    await ensureParserLoaded();
    const [statement] = parseStatementsSync(`SELECT ${quoteIdent(name)} FROM ${quoteQualified(name, name)}`);
    const target = JSON.stringify(statement?.node);
    expect(target).toContain(JSON.stringify(name).slice(1, -1));
    expect(parseStatementsSync(`SELECT ${quoteIdent(name)}`)).toHaveLength(1);
  });

  it("quotes literals", () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });
});
