import { describe, expect, it } from "vitest";
import { extensionProviding, missingObjectOf } from "./extension-objects.ts";

/** PostgreSQL's messages for an object an extension would provide, and the extension that does. */
const CASES: Array<[error: string, extension: string | undefined]> = [
  ['operator class "gin_trgm_ops" does not exist for access method "gin"', "pg_trgm"],
  ['operator class "gist_trgm_ops" does not exist for access method "gist"', "pg_trgm"],
  ['type "citext" does not exist', "citext"],
  ['type "public.vector" does not exist', "vector"],
  ['access method "hnsw" does not exist', "vector"],
  ["function uuid_generate_v4() does not exist", "uuid-ossp"],
  ["function public.similarity(text, unknown) does not exist", "pg_trgm"],
  ['operator class "int4_ops" does not exist for access method "gin"', "btree_gin"],
  ['operator class "gist_int4_ops" does not exist for access method "gist"', "btree_gist"],
  ['type "geometry" does not exist', "postgis"],
  ['type "my_own_type" does not exist', undefined],
];

describe("the extension a missing object comes from", () => {
  it.each(CASES)("%s → %s", (error, extension) => {
    const missing = missingObjectOf(error);
    expect(missing).toBeDefined();
    expect(missing && extensionProviding(missing.kind, missing.name, missing.accessMethod)).toBe(extension);
  });

  it("an error about something else names nothing", () => {
    expect(missingObjectOf('relation "users" does not exist')).toBeUndefined();
  });
});
