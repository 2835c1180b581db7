import { generateDemoData } from "@soleflip/db/demo";
import { soleflipProject } from "@soleflip/db/paths";
import { dropOwnedDatabase, recreateOwnedDatabase, withClient, withDatabase } from "@soleflip/postgres";
import { runMigrations } from "@soleflip/runner";
import { verifyDatabase } from "@soleflip/verification";
import { spread, type Spread } from "./stats.ts";

export interface VerifierScalingCase {
  extraTables: number;
  totalMs: Spread;
  queriesIssued: number;
}

/** Time of a full verification of the SoleFlip database, with 0, 100 and 1,000 extra tables in its schemas. */
export async function measureVerifier(options: { adminUrl: string; runs: number; extra: number[]; say: (line: string) => void }): Promise<VerifierScalingCase[]> {
  const name = "bench_verifier";
  await recreateOwnedDatabase(options.adminUrl, name, "scratch");
  const url = withDatabase(options.adminUrl, name);
  await runMigrations({ databaseUrl: url, migrationsDir: soleflipProject.migrationsDir });
  await withClient(url, async (client) => {
    await client.query('ALTER TABLE sales."order" ALTER COLUMN platform_id DROP NOT NULL');
    await generateDemoData(client, { scale: 1 });
    await client.query("DELETE FROM sales.\"order\" WHERE platform_id IS NULL");
    await client.query('ALTER TABLE sales."order" ALTER COLUMN platform_id SET NOT NULL');
  });
  const cases: VerifierScalingCase[] = [];
  let created = 0;
  for (const extra of options.extra) {
    await withClient(url, async (client) => {
      for (let i = created; i < extra; i++) {
        await client.query(`CREATE TABLE catalog.extra_${i} (id uuid PRIMARY KEY, product_id uuid REFERENCES catalog.product (id), note text)`);
        await client.query(`CREATE INDEX extra_${i}_product ON catalog.extra_${i} (product_id)`);
      }
    });
    created = Math.max(created, extra);
    const times: number[] = [];
    let queriesIssued = 0;
    for (let run = 0; run < options.runs; run++) {
      const started = performance.now();
      const result = await verifyDatabase({ databaseUrl: url, scratchAdminUrl: options.adminUrl, project: soleflipProject });
      times.push(performance.now() - started);
      queriesIssued = result.queriesIssued;
    }
    const entry = { extraTables: extra, totalMs: spread(times), queriesIssued };
    cases.push(entry);
    options.say(`  ${extra} extra tables: ${entry.totalMs.median} ms median, ${queriesIssued} queries on the verified database`);
  }
  await dropOwnedDatabase(options.adminUrl, name);
  return cases;
}
