-- Tables in the given schemas with their size (estimated rows, bytes on disk) and partitioning: a
-- partitioned parent (relkind p) and the parent a partition belongs to. The bookkeeping tables of
-- Prisma and of this toolkit are not the model's.
SELECT n.nspname AS schema,
       c.relname AS table,
       GREATEST(c.reltuples, 0)::bigint AS estimated_rows,
       pg_total_relation_size(c.oid) AS total_bytes,
       c.relkind = 'p' AS partitioned,
       pn.nspname AS parent_schema,
       pc.relname AS parent_table
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits inh ON inh.inhrelid = c.oid AND c.relispartition
LEFT JOIN pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY ($1::text[])
  AND NOT (n.nspname = 'public' AND c.relname IN ('_prisma_migrations', '_soleflip_migrator_journal'))
ORDER BY 1, 2
