-- Storage identity and size of the given tables ($1: schemas, $2: names, pairwise). A rewrite gives a
-- table a new relfilenode; a partitioned parent has none (0) and is sized by its partitions.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relfilenode::int8 AS relfilenode,
       CASE WHEN c.relkind = 'p'
            THEN coalesce((SELECT sum(pg_total_relation_size(p.relid)) FROM pg_partition_tree(c.oid) p WHERE p.isleaf), 0)
            ELSE pg_total_relation_size(c.oid)
       END::int8 AS bytes
FROM unnest($1::text[], $2::text[]) AS wanted(schema, name)
JOIN pg_namespace n ON n.nspname = wanted.schema
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = wanted.name
