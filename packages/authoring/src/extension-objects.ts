/**
 * Objects that come from an extension rather than from PostgreSQL itself, by the kind of name the
 * database's error quotes ("operator class "gin_trgm_ops" does not exist", "type "citext" does not
 * exist", "function uuid_generate_v4() does not exist", "access method "hnsw" does not exist"). Real
 * projects create these extensions in hand-written SQL; a migration that uses one before it exists
 * fails, and the author's fix is one line at the top of the file.
 */
export interface ExtensionObjects {
  extension: string;
  operatorClasses?: readonly string[];
  types?: readonly string[];
  functions?: readonly string[];
  accessMethods?: readonly string[];
}

export const EXTENSION_OBJECTS: readonly ExtensionObjects[] = [
  { extension: "pg_trgm", operatorClasses: ["gin_trgm_ops", "gist_trgm_ops"], functions: ["similarity", "word_similarity", "strict_word_similarity", "show_trgm", "show_limit", "set_limit"] },
  { extension: "citext", types: ["citext"], operatorClasses: ["citext_ops", "citext_pattern_ops"] },
  { extension: "uuid-ossp", functions: ["uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v3", "uuid_generate_v4", "uuid_generate_v5", "uuid_nil", "uuid_ns_dns", "uuid_ns_url", "uuid_ns_oid", "uuid_ns_x500"] },
  { extension: "pgcrypto", functions: ["gen_random_bytes", "crypt", "gen_salt", "digest", "hmac", "pgp_sym_encrypt", "pgp_sym_decrypt", "pgp_pub_encrypt", "pgp_pub_decrypt", "armor", "dearmor"] },
  { extension: "hstore", types: ["hstore"], operatorClasses: ["gin_hstore_ops", "gist_hstore_ops", "btree_hstore_ops", "hash_hstore_ops"] },
  { extension: "ltree", types: ["ltree", "lquery", "ltxtquery"], operatorClasses: ["gist_ltree_ops", "gist__ltree_ops"], functions: ["subltree", "subpath", "nlevel", "index", "text2ltree", "ltree2text", "lca"] },
  { extension: "intarray", operatorClasses: ["gin__int_ops", "gist__int_ops", "gist__intbig_ops"], functions: ["icount", "sort", "sort_asc", "sort_desc", "uniq", "idx", "subarray", "intset"] },
  { extension: "vector", types: ["vector", "halfvec", "sparsevec"], operatorClasses: ["vector_l2_ops", "vector_ip_ops", "vector_cosine_ops", "vector_l1_ops", "halfvec_l2_ops", "halfvec_ip_ops", "halfvec_cosine_ops", "sparsevec_l2_ops", "bit_hamming_ops", "bit_jaccard_ops"], accessMethods: ["hnsw", "ivfflat"], functions: ["cosine_distance", "l2_distance", "inner_product", "vector_dims", "vector_norm"] },
  { extension: "postgis", types: ["geometry", "geography", "box2d", "box3d"], operatorClasses: ["gist_geometry_ops_2d", "gist_geometry_ops_nd", "gist_geography_ops"], functions: ["st_makepoint", "st_setsrid", "st_distance", "st_dwithin", "st_contains", "st_intersects", "st_geomfromtext", "st_asgeojson", "st_transform"] },
  { extension: "cube", types: ["cube"], operatorClasses: ["gist_cube_ops"] },
  { extension: "earthdistance", types: ["earth"], functions: ["ll_to_earth", "earth_distance", "earth_box"] },
  { extension: "fuzzystrmatch", functions: ["levenshtein", "levenshtein_less_equal", "soundex", "difference", "metaphone", "dmetaphone", "dmetaphone_alt", "daitch_mokotoff"] },
  { extension: "unaccent", functions: ["unaccent"] },
  { extension: "isn", types: ["isbn", "isbn13", "ismn", "ismn13", "issn", "issn13", "ean13", "upc"] },
  { extension: "tablefunc", functions: ["crosstab", "normal_rand", "connectby"] },
  { extension: "bloom", accessMethods: ["bloom"] },
  { extension: "pg_stat_statements", functions: ["pg_stat_statements", "pg_stat_statements_reset"] },
];

export type MissingObjectKind = "operator class" | "type" | "function" | "access method";

/**
 * The extension an object of that kind and name comes from. The scalar operator classes of GIN and
 * GiST (`int4_ops` under gin, `gist_int4_ops`) come from btree_gin and btree_gist.
 */
export function extensionProviding(kind: MissingObjectKind, name: string, accessMethod?: string): string | undefined {
  const key = name.toLowerCase();
  const listOf = (entry: ExtensionObjects) =>
    kind === "operator class" ? entry.operatorClasses : kind === "type" ? entry.types : kind === "function" ? entry.functions : entry.accessMethods;
  const found = EXTENSION_OBJECTS.find((entry) => listOf(entry)?.includes(key));
  if (found) return found.extension;
  if (kind === "operator class" && accessMethod === "gin" && /_ops$/.test(key)) return "btree_gin";
  if (kind === "operator class" && accessMethod === "gist" && /^gist_\w+_ops$/.test(key)) return "btree_gist";
  return undefined;
}

/** What a database error says is missing, from PostgreSQL's messages for undefined objects. */
export function missingObjectOf(error: string): { kind: MissingObjectKind; name: string; accessMethod?: string } | undefined {
  const opclass = /operator class "([^"]+)" does not exist for access method "([^"]+)"/.exec(error);
  if (opclass?.[1] && opclass[2]) return { kind: "operator class", name: opclass[1], accessMethod: opclass[2] };
  const type = /type "(?:[^"]+\.)?([^".]+)" does not exist/.exec(error);
  if (type?.[1]) return { kind: "type", name: type[1] };
  const method = /access method "([^"]+)" does not exist/.exec(error);
  if (method?.[1]) return { kind: "access method", name: method[1] };
  const fn = /function (?:[\w"]+\.)?"?([\w]+)"?\(.*\) does not exist/.exec(error);
  if (fn?.[1]) return { kind: "function", name: fn[1] };
  return undefined;
}
