import { parseStatementsSync } from "@soleflip/sql";
import { describe, expect, it } from "vitest";
import { indexKey, liveIndexKey } from "./equivalence.ts";

const written = (sql: string) => {
  const [statement] = parseStatementsSync(sql);
  if (!statement) throw new Error("no statement");
  return indexKey(statement.node);
};

/** An index as a migration writes it, and as pg_get_indexdef prints it back: the same index, or not. */
const CASES: Array<[name: string, migration: string, live: string, same: boolean]> = [
  ["a default operator class written out (GIN array_ops)", 'CREATE INDEX "traces_tags_idx" ON "traces" USING GIN ("tags" array_ops)', "CREATE INDEX traces_tags_idx ON public.traces USING gin (tags)", true],
  ["a default operator class, schema-qualified (btree text_ops)", "CREATE INDEX i ON t (name pg_catalog.text_ops)", "CREATE INDEX i ON public.t USING btree (name)", true],
  ["jsonb_ops, GIN's default for jsonb", "CREATE INDEX i ON t USING gin (data jsonb_ops)", "CREATE INDEX i ON public.t USING gin (data)", true],
  ["a non-default operator class is kept (jsonb_path_ops)", "CREATE INDEX i ON t USING gin (data jsonb_path_ops)", "CREATE INDEX i ON public.t USING gin (data)", false],
  ["an extension's class is kept (gin_trgm_ops)", "CREATE INDEX i ON t USING gin (name gin_trgm_ops)", "CREATE INDEX i ON public.t USING gin (name)", false],
  ["text_pattern_ops is not text_ops", "CREATE INDEX i ON t (name text_pattern_ops)", "CREATE INDEX i ON public.t USING btree (name)", false],
  ["btree's default is not GIN's (array_ops under gin vs btree)", "CREATE INDEX i ON t USING gin (tags array_ops)", "CREATE INDEX i ON public.t USING btree (tags)", false],
];

describe("index equivalence: a written index against the one the database holds", () => {
  it.each(CASES)("%s", (_, migration, live, same) => {
    expect(written(migration) === liveIndexKey(live)).toBe(same);
  });
});
