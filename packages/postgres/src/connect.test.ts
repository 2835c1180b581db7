import { describe, expect, it } from "vitest";
import { adminDatabaseUrl, withPassword } from "./testing/index.ts";
import { connectClient, parseDatabaseUrl, withDatabase } from "./connect.ts";
import { createScratchDatabase } from "./scratch.ts";

describe("connectClient", () => {
  it("reports an unreachable server with a code and without the password", async () => {
    const error = await connectClient("postgresql://app:TopSecret9@127.0.0.1:1/soleflip").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "postgres.unreachable" });
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain("TopSecret9");
    expect(String((error as Error).message)).not.toContain("TopSecret9");
  });

  it("reports a wrong password without echoing it", async () => {
    const url = withPassword(adminDatabaseUrl(), "Wrong-Pass-123");
    const error = await connectClient(url).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "postgres.auth-failed" });
    const rendered = JSON.stringify((error as { toJSON(): unknown }).toJSON()) + String((error as Error).message);
    expect(rendered).not.toContain("Wrong-Pass-123");
  });

  it("reports a missing database by name", async () => {
    const error = await connectClient(withDatabase(adminDatabaseUrl(), "no_such_db_xyz")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "postgres.database-missing" });
    expect((error as Error).message).toContain("no_such_db_xyz");
  });

  it("rejects a URL that is not PostgreSQL", () => {
    expect(() => parseDatabaseUrl("mysql://root:pw@localhost/db")).toThrow(/not a PostgreSQL URL/);
  });

  it("creates and drops scratch databases that can be used in parallel", async () => {
    const [a, b] = await Promise.all([
      createScratchDatabase(adminDatabaseUrl()),
      createScratchDatabase(adminDatabaseUrl()),
    ]);
    expect(a.name).not.toBe(b.name);
    const client = await connectClient(a.url);
    await client.query("SELECT 1");
    await a.drop(); // forced while a client is still connected
    await client.end().catch(() => undefined);
    await b.drop();
    await expect(connectClient(a.url)).rejects.toMatchObject({ code: "postgres.database-missing" });
  });
});
