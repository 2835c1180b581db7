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
