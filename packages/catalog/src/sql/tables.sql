-- Tables in the given schemas with their size: estimated rows and bytes on disk.
SELECT n.nspname AS schema,
       c.relname AS table,
       GREATEST(c.reltuples, 0)::bigint AS estimated_rows,
       pg_total_relation_size(c.oid) AS total_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY ($1::text[])
ORDER BY 1, 2
