import { describe, expect, it } from "vitest";
import { parseStandInArgs } from "./rpc-server.ts";

describe("parseStandInArgs (the native engine's argv)", () => {
  it("reads datamodels, the datasource, preview features and the cli sub-command", () => {
    expect(
      parseStandInArgs(["--datamodels", "/a.prisma", "--datamodels", "/b.prisma", "--datasource", '{"url":"postgresql://h/db"}', "--enabled-preview-features", "views,relationJoins", "--extension-types", "[]", "cli", "create-database"]),
    ).toEqual({ datamodels: ["/a.prisma", "/b.prisma"], datasource: { url: "postgresql://h/db" }, previewFeatures: ["views", "relationJoins"], version: false, cliCommand: "create-database" });
  });

  it("reads --version and -V, and ignores what it does not know", () => {
    expect(parseStandInArgs(["--version"])).toMatchObject({ version: true, datamodels: [], datasource: undefined, cliCommand: undefined });
    expect(parseStandInArgs(["-V", "--unknown-flag", "x"])).toMatchObject({ version: true });
  });
});
