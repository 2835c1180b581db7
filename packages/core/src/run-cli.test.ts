import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseEnv } from "./env.ts";
import { ToolkitError } from "./errors.ts";
import { runCli } from "./run-cli.ts";

function sink(): { write(text: string): boolean; text: string } {
  return {
    text: "",
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

describe("runCli", () => {
  it("passes the command's exit code through", async () => {
    expect(await runCli(async () => 2, sink())).toBe(2);
  });

  it("prints a tool failure as code, summary and fix, exit 1, without secrets", async () => {
    const out = sink();
    const code = await runCli(async () => {
      throw new ToolkitError({ code: "postgres.auth-failed", summary: "login failed for postgres://u:pw-123@h/db", fix: "check the password" });
    }, out);
    expect(code).toBe(1);
    expect(out.text).toBe("error [postgres.auth-failed]: login failed for postgres://u:***@h/db\n  fix: check the password\n");
  });

  it("maps commander's errors: --help is 0, bad arguments 1", async () => {
    expect(await runCli(async () => Promise.reject(Object.assign(new Error("(outputHelp)"), { code: "commander.helpDisplayed", exitCode: 0 })), sink())).toBe(0);
    expect(await runCli(async () => Promise.reject(Object.assign(new Error("unknown option"), { code: "commander.unknownOption", exitCode: 1 })), sink())).toBe(1);
  });
});

describe("parseEnv", () => {
  const schema = z.object({ PORT: z.coerce.number().int().optional() });
  it("returns the validated values", () => {
    expect(parseEnv(schema, { PORT: "5432" }, "tool")).toEqual({ PORT: 5432 });
  });
  it("names the bad variable in a typed error", () => {
    expect(() => parseEnv(schema, { PORT: "abc" }, "tool")).toThrow(expect.objectContaining({ code: "tool.env.invalid", summary: expect.stringContaining("PORT") }));
  });
});
