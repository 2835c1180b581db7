import type { LiveForeignKey } from "@soleflip/catalog";
import { quoteIdent as q, quoteQualified } from "@soleflip/sql";
import type { Check, CheckFinding } from "./check.ts";

/** One query counting, for every foreign key of the model, the rows that point at no parent. */
export function orphanCountSql(foreignKeys: readonly LiveForeignKey[]): string {
  return foreignKeys
    .map((fk, i) => {
      const notNull = fk.columns.map((c) => `c.${q(c)} IS NOT NULL`).join(" AND ");
      const join = fk.columns.map((c, j) => `p.${q(fk.refColumns[j] ?? c)} = c.${q(c)}`).join(" AND ");
      return `SELECT ${i} AS fk, count(*) AS orphans FROM ${quoteQualified(fk.schema, fk.table)} AS c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${quoteQualified(fk.refSchema, fk.refTable)} AS p WHERE ${join})`;
    })
    .join("\nUNION ALL\n");
}

export const noOrphanRows: Check = {
  id: "no-orphan-rows",
  title: "Orphan rows per foreign key",
  async run({ client, expected, live }) {
    const liveTables = new Set(live.tables.map((t) => `${t.schema}.${t.table}`));
    const foreignKeys = expected.structure.foreignKeys.filter((fk) => liveTables.has(`${fk.schema}.${fk.table}`) && liveTables.has(`${fk.refSchema}.${fk.refTable}`));
    if (foreignKeys.length === 0) return { status: "skip", summary: "No foreign key of the model has both its tables here.", findings: [], sql: [], compared: 0 };
    const sql = orphanCountSql(foreignKeys);
    const rows = (await client.query<{ fk: number; orphans: string }>(sql)).rows;
    const findings: CheckFinding[] = rows
      .filter((row) => Number(row.orphans) > 0)
      .map((row) => {
        const fk = foreignKeys[row.fk] as LiveForeignKey;
        return {
          subject: `${fk.schema}.${fk.table}.${fk.name}`,
          expected: "0",
          actual: row.orphans,
          message: `${row.orphans} row(s) of ${fk.schema}.${fk.table} have ${fk.columns.join(", ")} pointing at no ${fk.refSchema}.${fk.refTable} row`,
        };
      });
    const total = rows.reduce((sum, row) => sum + Number(row.orphans), 0);
    return {
      status: findings.length === 0 ? "pass" : "fail",
      summary: findings.length === 0 ? `No orphan rows for any of the ${foreignKeys.length} foreign keys.` : `${total} orphan row(s) under ${findings.length} foreign key(s).`,
      findings,
      sql: [sql],
      compared: foreignKeys.length,
    };
  },
};
