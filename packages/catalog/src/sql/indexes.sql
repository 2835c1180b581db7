-- Every index in the given schemas, with its definition, predicate and validity.
SELECT n.nspname AS schema,
       t.relname AS table,
       ic.relname AS name,
       pg_get_indexdef(i.indexrelid) AS definition,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k.ord::int, true)
             FROM generate_series(1, i.indnkeyatts) AS k(ord) ORDER BY k.ord)::text[] AS columns,
       am.amname AS method,
       i.indisunique AS unique,
       i.indisprimary AS primary,
       i.indisvalid AS valid,
       i.indisready AS ready,
       EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) AS backs_constraint,
       ic.reltuples::bigint AS estimated_rows,
       -- a partition's index attached to its partitioned table's index
       parent_ns.nspname AS parent_index_schema,
       parent.relname AS parent_index_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_inherits h ON h.inhrelid = i.indexrelid
LEFT JOIN pg_class parent ON parent.oid = h.inhparent
LEFT JOIN pg_namespace parent_ns ON parent_ns.oid = parent.relnamespace
WHERE n.nspname = ANY ($1::text[])
  AND NOT (n.nspname = 'public' AND t.relname IN ('_prisma_migrations', '_soleflip_migrator_journal'))
ORDER BY 1, 2, 3
