-- Primary key, unique, CHECK and exclusion constraints in the given schemas (foreign keys: foreign-keys.sql).
SELECT n.nspname AS schema,
       c.relname AS table,
       con.conname AS name,
       con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       con.convalidated AS validated,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'x') AND n.nspname = ANY ($1::text[])
  AND NOT (n.nspname = 'public' AND c.relname IN ('_prisma_migrations', '_soleflip_migrator_journal'))
ORDER BY 1, 2, 3
