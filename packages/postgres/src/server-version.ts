import type pg from "pg";

/** server_version_num, e.g. 180004 (plans choose the forms the server supports). */
export async function serverVersionNum(client: Pick<pg.ClientBase, "query">): Promise<number> {
  const result = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(result.rows[0]?.v ?? 0);
}
