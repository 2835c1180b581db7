/**
 * The operator classes PostgreSQL uses by default for each index method, by name: `pg_get_indexdef` leaves
 * a column's operator class out when it is the default for the column's type, so `USING gin (tags
 * array_ops)` reads back as `USING gin (tags)`. Both sides of a comparison drop these names (written or
 * not, the index is the same). PostgreSQL 18's built-in defaults (`SELECT amname, opcname FROM pg_opclass
 * JOIN pg_am ON pg_am.oid = opcmethod WHERE opcdefault`), and those of the extensions whose types
 * Prisma projects index (citext, hstore, ltree, cube, isn).
 */
export const DEFAULT_OPCLASSES: Readonly<Record<string, ReadonlySet<string>>> = {
  btree: new Set([
    "array_ops", "bit_ops", "bool_ops", "bpchar_ops", "bytea_ops", "char_ops", "date_ops", "enum_ops", "float4_ops", "float8_ops", "inet_ops", "int2_ops", "int4_ops", "int8_ops",
    "interval_ops", "jsonb_ops", "macaddr8_ops", "macaddr_ops", "money_ops", "multirange_ops", "name_ops", "numeric_ops", "oid_ops", "oidvector_ops", "pg_lsn_ops", "range_ops",
    "record_ops", "text_ops", "tid_ops", "time_ops", "timestamp_ops", "timestamptz_ops", "timetz_ops", "tsquery_ops", "tsvector_ops", "uuid_ops", "varbit_ops", "xid8_ops",
    "citext_ops", "btree_hstore_ops", "ltree_ops", "cube_ops", "isbn_ops", "isbn13_ops", "ean13_ops", "issn_ops", "upc_ops",
  ]),
  hash: new Set([
    "aclitem_ops", "array_ops", "bool_ops", "bpchar_ops", "bytea_ops", "char_ops", "cid_ops", "date_ops", "enum_ops", "float4_ops", "float8_ops", "inet_ops", "int2_ops", "int4_ops",
    "int8_ops", "interval_ops", "jsonb_ops", "macaddr8_ops", "macaddr_ops", "multirange_ops", "name_ops", "numeric_ops", "oid_ops", "oidvector_ops", "pg_lsn_ops", "range_ops",
    "record_ops", "text_ops", "tid_ops", "time_ops", "timestamp_ops", "timestamptz_ops", "timetz_ops", "uuid_ops", "xid8_ops", "xid_ops", "citext_ops", "hash_hstore_ops",
  ]),
  gin: new Set(["array_ops", "jsonb_ops", "tsvector_ops", "gin_hstore_ops"]),
  gist: new Set(["box_ops", "circle_ops", "multirange_ops", "point_ops", "poly_ops", "range_ops", "tsquery_ops", "tsvector_ops", "gist_hstore_ops", "gist_ltree_ops", "gist_cube_ops"]),
  spgist: new Set(["box_ops", "inet_ops", "poly_ops", "quad_point_ops", "range_ops", "text_ops"]),
  brin: new Set([
    "bit_minmax_ops", "box_inclusion_ops", "bpchar_minmax_ops", "bytea_minmax_ops", "char_minmax_ops", "date_minmax_ops", "float4_minmax_ops", "float8_minmax_ops", "inet_inclusion_ops",
    "int2_minmax_ops", "int4_minmax_ops", "int8_minmax_ops", "interval_minmax_ops", "macaddr8_minmax_ops", "macaddr_minmax_ops", "name_minmax_ops", "numeric_minmax_ops", "oid_minmax_ops",
    "pg_lsn_minmax_ops", "range_inclusion_ops", "text_minmax_ops", "tid_minmax_ops", "time_minmax_ops", "timestamp_minmax_ops", "timestamptz_minmax_ops", "timetz_minmax_ops",
    "uuid_minmax_ops", "varbit_minmax_ops",
  ]),
};
