import { describe, expect, it } from "vitest";
import { ToolkitError } from "./errors.ts";
import { redactConnectionString, redactSecrets, registerSecret } from "./redact.ts";

describe("redactSecrets", () => {
  it("removes the password of a URL and keeps the rest", () => {
    expect(redactSecrets("connect postgres://app:s3cret@db:5432/soleflip failed")).toBe(
      "connect postgres://app:***@db:5432/soleflip failed",
    );
  });

  it("removes key/value passwords", () => {
    expect(redactSecrets("host=db password=s3cret user=app")).toBe("host=db password=*** user=app");
    expect(redactSecrets("PGPASSWORD='a b c' psql")).toBe("PGPASSWORD=*** psql");
  });

  it("removes registered secrets wherever they appear, also URL-encoded", () => {
    registerSecret("p@ss word");
    expect(redactSecrets("auth failed for p@ss word and p%40ss%20word")).toBe("auth failed for *** and ***");
  });

  it("hides a registered password where it stands alone, not inside a longer word", () => {
    registerSecret("postgres");
    expect(redactSecrets("DATABASE_URL (postgresql://postgres:***@127.0.0.1:6432/app) said postgres")).toBe("DATABASE_URL (postgresql://***:***@127.0.0.1:6432/app) said ***");
    registerSecret("s3cr3t");
    expect(redactSecrets("s3cr3t,s3cr3t.x=s3cr3t and s3cr3ts")).toBe("***,***.x=*** and s3cr3ts");
  });

  it("redacts connection strings for display", () => {
    expect(redactConnectionString("postgresql://u:pw@localhost:5432/db?sslmode=disable")).toBe(
      "postgresql://u:***@localhost:5432/db?sslmode=disable",
    );
  });
});

describe("ToolkitError", () => {
  it("never carries a secret in its summary, fix or JSON form", () => {
    const error = new ToolkitError({
      code: "postgres.auth-failed",
      summary: "could not log in to postgres://app:hunter22@db/soleflip",
      fix: "check password=hunter22",
      cause: new Error("password authentication failed: postgres://app:hunter22@db"),
    });
    expect(JSON.stringify(error.toJSON())).not.toContain("hunter22");
    expect(error.message).not.toContain("hunter22");
  });
});
