import { ToolkitError } from "@soleflip/core";
import { describe, expect, it } from "vitest";
import { SchemaEngineError } from "./engine.ts";
import { locationsOf, userErrorOf } from "./prisma-errors.ts";

/** Prisma's P1012 text, as its engine prints it. */
const TYPO = `error: Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.
  -->  prisma/schema.prisma:32
   | 
31 |   id    Int     @id
32 |   name  Strin?
   | 

Validation Error Count: 1`;

const TWO = `error: Error validating field \`posts\` in model \`User\`: The relation field \`posts\` on model \`User\` is missing an opposite relation field on the model \`Post\`.
  -->  schema.prisma:12
   | 
12 |   posts Post[]
   | 
error: Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.
  -->  models/user.prisma:4
   | 
 4 |   name  Strin
   | `;

describe("locationsOf", () => {
  it.each([
    ["one error, the quoted token's column", TYPO, [{ file: "prisma/schema.prisma", line: 32, column: 9 }]],
    ["two errors in two files, a column where a token is quoted", TWO, [{ file: "schema.prisma", line: 12 }, { file: "models/user.prisma", line: 4, column: 9 }]],
    ["a message without a place", "error: something else", []],
  ])("%s", (_, message, expected) => {
    expect(locationsOf(message)).toEqual(expected);
  });
});

describe("userErrorOf", () => {
  it("P1012 is bad input, with Prisma's message and file:line:col", () => {
    const error = userErrorOf(new SchemaEngineError(TYPO, { errorCode: "P1012", isPanic: false }));
    expect(error).toBeInstanceOf(ToolkitError);
    expect((error as ToolkitError).code).toBe("prisma.schema-invalid");
    expect(error.message).toContain("at prisma/schema.prisma:32:9");
    expect(error.message).toContain('Type "Strin" is neither a built-in type');
  });

  it("another Prisma code keeps it, under prisma.engine-error", () => {
    const error = userErrorOf(new SchemaEngineError("Migration failed", { errorCode: "P3006", isPanic: false }));
    expect((error as ToolkitError).code).toBe("prisma.engine-error");
    expect(error.message).toContain("P3006");
  });

  it("a panic stays a bug", () => {
    const panic = new SchemaEngineError("thread panicked", { errorCode: undefined, isPanic: true });
    expect(userErrorOf(panic)).toBe(panic);
  });
});
