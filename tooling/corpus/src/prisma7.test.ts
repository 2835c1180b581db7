import { describe, expect, it } from "vitest";
import { asPrisma7 } from "./prisma7.ts";

describe("asPrisma7", () => {
  it("drops the connection settings Prisma 7 moved to prisma.config.ts and keeps the rest", () => {
    const before = 'datasource db {\n  provider  = "postgresql"\n  url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")\n  shadowDatabaseUrl = env("SHADOW_DATABASE_URL")\n  relationMode = "prisma"\n}\n\nmodel A {\n  url String @id\n}\n';
    expect(asPrisma7(before)).toBe('datasource db {\n  provider  = "postgresql"\n  relationMode = "prisma"\n}\n\nmodel A {\n  url String @id\n}\n');
  });

  it("keeps the preview features Prisma 7 knows and drops the others", () => {
    const before = 'generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["views", "relationJoins", "metrics", "tracing", "jsonProtocol"]\n}\n';
    expect(asPrisma7(before)).toBe('generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["views", "relationJoins"]\n}\n');
  });

  it("leaves a schema already in Prisma 7's form as it is", () => {
    const schema = 'datasource db {\n  provider = "postgresql"\n}\n';
    expect(asPrisma7(schema)).toBe(schema);
  });
});
