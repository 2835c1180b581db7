import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMajor, SUPPORTED_MAJORS } from "./binaries.ts";
import { withClient } from "./connect.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { freePort, tempDir } from "./testing/index.ts";

describe("the embedded server runs every supported major", () => {
  it.each(SUPPORTED_MAJORS.map((major) => ({ major })))("PostgreSQL $major initialises, answers as itself and stops", async ({ major }) => {
    const dir = await tempDir(`sf-major-${major}`);
    const server = await startEmbeddedPostgres({ major, dataDir: join(dir, "pg"), port: await freePort(), settings: { fsync: "off" } });
    try {
      const version = await withClient(server.adminUrl, (client) => client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v"));
      expect(Math.floor(Number(version.rows[0]?.v) / 10_000)).toBe(major);
    } finally {
      await server.stop();
    }
  });
});

describe("majors never meet", () => {
  it("a data directory keeps its major, and a server of another major on the port is not joined", async () => {
    const dir = await tempDir("sf-major-mismatch");
    const port = await freePort();
    const server = await startEmbeddedPostgres({ major: 14, dataDir: join(dir, "pg"), port });
    try {
      // Another data directory's server (of another major here) holds the port: asked for, it stops; by default, another port.
      await expect(startEmbeddedPostgres({ major: 16, dataDir: join(dir, "other"), port, portFixed: true })).rejects.toMatchObject({ code: "postgres.embedded-port-taken" });
      const beside = await startEmbeddedPostgres({ major: 16, dataDir: join(dir, "other"), port });
      try {
        expect(beside.port).not.toBe(port);
        const version = await withClient(beside.adminUrl, (client) => client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v"));
        expect(Math.floor(Number(version.rows[0]?.v) / 10_000)).toBe(16);
      } finally {
        await beside.stop();
      }
    } finally {
      await server.stop();
    }
    await expect(startEmbeddedPostgres({ major: 16, dataDir: join(dir, "pg"), port })).rejects.toMatchObject({
      code: "postgres.data-dir-major-mismatch",
      fix: expect.stringContaining("SOLEFLIP_PG_MAJOR=14"),
    });
  });

  it.each([{ text: "13" }, { text: "19" }, { text: "15.4" }, { text: "latest" }])("SOLEFLIP_PG_MAJOR=$text is named as unsupported", ({ text }) => {
    expect(() => parseMajor(text, "SOLEFLIP_PG_MAJOR")).toThrow(expect.objectContaining({ code: "postgres.major-unsupported", fix: expect.stringContaining("14, 15, 16, 17, 18") }));
  });
});
