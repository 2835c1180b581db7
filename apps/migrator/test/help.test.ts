import { runRootScript } from "@soleflip/postgres/testing";
import { describe, expect, it } from "vitest";

describe("pnpm migrator --help", () => {
  it.each(["migrate", "create", "lint", "rollback"])("%s documents its options, including where the project is", async (command) => {
    const help = await runRootScript("migrator", [command, "--help"], {});
    expect(help.exitCode).toBe(0);
    for (const flag of ["--config <file>", "--schema <file>", "--migrations <dir>"]) expect(help.stdout).toContain(flag);
    expect(help.stdout).toContain(command === "lint" ? "--format <format>" : command === "create" ? "--name <name>" : "--dry-run");
  });
});
