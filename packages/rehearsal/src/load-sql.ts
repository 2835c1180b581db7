import { readFileSync } from "node:fs";

const cache = new Map<string, string>();

/** Loads a named query from ./sql (`name` without the .sql extension). */
export function rehearsalSql(name: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), "utf8");
    cache.set(name, sql);
  }
  return sql;
}
