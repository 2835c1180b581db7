import { describe, expect, it } from "vitest";
import { withoutUnnamedSequenceDrops } from "./prisma-artefacts.ts";

describe("withoutUnnamedSequenceDrops", () => {
  it("drops Prisma's nameless DROP SEQUENCE and keeps every other line", () => {
    const sql = 'ALTER TABLE "website" DROP COLUMN "website_id",\nADD COLUMN "website_id" TEXT;\nDROP SEQUENCE "";\n\n-- AlterTable\nDROP SEQUENCE "website_seq";\n';
    expect(withoutUnnamedSequenceDrops(sql)).toBe('ALTER TABLE "website" DROP COLUMN "website_id",\nADD COLUMN "website_id" TEXT;\n\n-- AlterTable\nDROP SEQUENCE "website_seq";\n');
  });
});
