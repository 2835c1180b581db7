import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMigration } from "@soleflip/authoring";
import { connectClient, createOwnedDatabase, dropOwnedDatabase, recreateOwnedDatabase, renameOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { loadProject } from "@soleflip/project";
import { runMigrations } from "@soleflip/runner";

/**
 * A column renamed (the shop's Order.note mapped to remark) under two application versions at once: the
 * old version writes `note` from before the expand until the contract's run, the new one writes `remark`
 * from the end of the expand to the end; every write has a token of its own and lands on rows of its own
 * version, inserted or updated. At the end, every row is read back: its remark must hold the last token
 * written to it, by either version.
 */
export interface RenameResult {
  rows: number;
  writes: { old: number; new: number; failed: number };
  checked: number;
  lost: number;
  diverging: number;
  expandMs: number;
  contractMs: number;
  errors: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Writer {
  stop(): Promise<void>;
  writes: number;
  failed: number;
  errors: Set<string>;
}

/** One application version: updates rows of its parity and inserts rows, recording each row's last token. */
function startWriter(url: string, version: "old" | "new", column: "note" | "remark", expected: Map<string, string>, ids: readonly string[]): Writer {
  let running = true;
  const writer: Writer = { writes: 0, failed: 0, errors: new Set(), stop: async () => undefined };
  const loop = (async () => {
    const client = await connectClient(url, { applicationName: `bench-${version}-version` });
    try {
      for (let n = 0; running; n++) {
        const token = `${version}-${n}-${Math.random().toString(36).slice(2, 8)}`;
        try {
          if (n % 4 === 0) {
            const row = await client.query<{ id: string }>(`INSERT INTO "Order" ("userId", total, "${column}") SELECT "userId", 1, $1 FROM "Order" LIMIT 1 RETURNING id`, [token]);
            const id = row.rows[0]?.id;
            if (id) expected.set(id, token);
          } else {
            const mine = ids.filter((_, index) => index % 2 === (version === "old" ? 0 : 1));
            const id = mine[(n * 31) % Math.max(1, mine.length)];
            if (id === undefined) continue;
            const updated = await client.query(`UPDATE "Order" SET "${column}" = $1 WHERE id = $2`, [token, id]);
            if (updated.rowCount === 1) expected.set(id, token);
          }
          writer.writes++;
        } catch (error) {
          writer.failed++;
          writer.errors.add(`${version}: ${(error as Error).message}`);
        }
        await sleep(5);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  writer.stop = async () => {
    running = false;
    await loop;
  };
  return writer;
}

export async function measureRename(options: { adminUrl: string; workspaceRoot: string; rows: number; say: (line: string) => void }): Promise<RenameResult> {
  const root = await mkdtemp(join(tmpdir(), "sf-bench-rename-"));
  const name = "bench_rename_run";
  try {
    await cp(join(options.workspaceRoot, "examples", "shop", "prisma"), join(root, "prisma"), { recursive: true });
    await writeFile(join(root, "prisma.config.ts"), 'export default { schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, datasource: { url: process.env["DATABASE_URL"] ?? "" } };\n');
    const project = await loadProject({ cwd: root });
    const template = `bench_shop_orders_${options.rows}`;
    const exists = await withClient(options.adminUrl, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount);
    if (!exists) {
      const building = `${template}_building`;
      await recreateOwnedDatabase(options.adminUrl, building, "cache");
      const url = withDatabase(options.adminUrl, building);
      await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir });
      await withClient(url, async (client) => {
        await client.query(`INSERT INTO "User" (email, name) SELECT 'user' || g || '@example.com', 'user ' || g FROM generate_series(1, 1000) AS g`);
        await client.query(`INSERT INTO "Order" ("userId", total, note) SELECT 1 + g % 1000, 10, 'note ' || g FROM generate_series(1, ${options.rows}) AS g`);
        await client.query("VACUUM ANALYZE");
      });
      await renameOwnedDatabase(options.adminUrl, building, template, "cache");
    }
    const schema = await readFile(project.schemaPath, "utf8");
    await writeFile(project.schemaPath, schema.replace(/note(\s+)String\?/, 'note$1String? @map("remark")'));
    const created = await createMigration({ project, name: "rename_note", scratchAdminUrl: withDatabase(options.adminUrl, "postgres") });
    if (!created.phases) throw new Error("create did not write an online change for the rename");

    await dropOwnedDatabase(options.adminUrl, name);
    await createOwnedDatabase(options.adminUrl, name, "scratch", { template, fileCopy: true });
    const url = withDatabase(options.adminUrl, name);
    const ids = await withClient(url, async (client) => (await client.query<{ id: string }>(`SELECT id FROM "Order" WHERE id % ${Math.max(1, Math.floor(options.rows / 4000))} = 0 LIMIT 4000`)).rows.map((r) => r.id));
    const expected = new Map<string, string>();

    // The old version runs through the expand; the new one starts once it is in (the deploy), both for a while.
    const old = startWriter(url, "old", "note", expected, ids);
    await sleep(1_000);
    let started = performance.now();
    const expand = await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir });
    const expandMs = Math.round(performance.now() - started);
    if (expand.outcome !== "applied" || !expand.waiting?.length) throw new Error(`the expand did not apply as expected: ${expand.outcome} ${expand.failure?.summary ?? ""}`);
    options.say(`  expand applied in ${expandMs} ms while the old version wrote; the contract waits`);
    const newer = startWriter(url, "new", "remark", expected, ids);
    await sleep(3_000);
    // The old version is retired (the next deploy): the contract runs while the new version goes on writing.
    await old.stop();
    started = performance.now();
    const contract = await runMigrations({ databaseUrl: url, migrationsDir: project.migrationsDir });
    const contractMs = Math.round(performance.now() - started);
    if (contract.outcome !== "applied") throw new Error(`the contract did not apply: ${contract.outcome} ${contract.refusal?.summary ?? ""}`);
    await sleep(1_000);
    await newer.stop();

    // Row by row: every row written holds its last token in remark.
    const rows = await withClient(url, async (client) => (await client.query<{ id: string; remark: string | null }>(`SELECT id, remark FROM "Order" WHERE id = ANY ($1::int[])`, [[...expected.keys()]])).rows);
    const found = new Map(rows.map((row) => [row.id, row.remark]));
    let lost = 0;
    let diverging = 0;
    for (const [id, token] of expected) {
      if (!found.has(id)) lost++;
      else if (found.get(id) !== token) diverging++;
    }
    const total = await withClient(url, async (client) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Order"`)).rows[0]?.n));
    options.say(`  ${old.writes} writes by the old version, ${newer.writes} by the new; ${expected.size} rows checked: ${lost} lost, ${diverging} diverging; contract in ${contractMs} ms`);
    await dropOwnedDatabase(options.adminUrl, name);
    return { rows: total, writes: { old: old.writes, new: newer.writes, failed: old.failed + newer.failed }, checked: expected.size, lost, diverging, expandMs, contractMs, errors: [...old.errors, ...newer.errors].slice(0, 5) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
