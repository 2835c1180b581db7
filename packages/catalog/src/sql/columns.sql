-- Every column of every ordinary or partitioned table in the given schemas. not_null is PostgreSQL's
-- attnotnull minus a NOT NULL constraint that is still NOT VALID (PostgreSQL 18 sets attnotnull for
-- it, but existing rows are not proven); invalid_not_null names that constraint. sequence_* describe the
-- sequence the column owns (serial: dependency 'a'; identity: 'i').
SELECT n.nspname AS schema,
       c.relname AS table,
       a.attname AS name,
       a.attnum AS position,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AND nn.conname IS NULL AS not_null,
       nn.conname AS invalid_not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default,
       seq.schema AS sequence_schema,
       seq.name AS sequence_name,
       seq.type AS sequence_type
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN LATERAL (
  SELECT con.conname FROM pg_constraint con
  WHERE con.conrelid = a.attrelid AND con.contype = 'n' AND con.conkey[1] = a.attnum AND NOT con.convalidated
  LIMIT 1
) nn ON true
LEFT JOIN LATERAL (
  SELECT sn.nspname AS schema, s.relname AS name, format_type(ps.seqtypid, NULL) AS type
  FROM pg_depend dep
  JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
  JOIN pg_namespace sn ON sn.oid = s.relnamespace
  JOIN pg_sequence ps ON ps.seqrelid = s.oid
  WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
    AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype IN ('a', 'i')
  LIMIT 1
) seq ON true
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname = ANY ($1::text[])
  AND NOT (n.nspname = 'public' AND c.relname IN ('_prisma_migrations', '_soleflip_migrator_journal'))
ORDER BY 1, 2, 4
