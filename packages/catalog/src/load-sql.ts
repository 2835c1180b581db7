import { readFileSync } from "node:fs";

const cache = new Map<string, string>();

/** Loads a named catalog query from ./sql (`name` without the .sql extension). */
export function catalogSql(name: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), "utf8");
    cache.set(name, sql);
  }
  return sql;
}

/**
 * A named catalog query as it ran for these schemas, ready to paste into psql: the `$1` parameter
 * written out as an array literal (for the report's "Verification SQL").
 */
export function catalogSqlAsRun(name: string, schemas: readonly string[]): string {
  const literal = `ARRAY[${schemas.map((schema) => `'${schema.replaceAll("'", "''")}'`).join(", ")}]::text[]`;
  return catalogSql(name).replaceAll("$1::text[]", literal).trim();
}
