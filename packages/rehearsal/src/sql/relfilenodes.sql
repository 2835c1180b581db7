-- The storage identity of every table and materialized view in user schemas: a step that gives one a
-- new relfilenode rewrote it, whether or not the plan named it.
SELECT n.nspname || '.' || c.relname AS relation,
       c.relfilenode::int8 AS relfilenode
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
