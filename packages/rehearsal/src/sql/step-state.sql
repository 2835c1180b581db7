-- Everything read around a step, in one round trip: the WAL insert position, the relfilenode of every
-- table and materialized view in user schemas (a new one is a rewrite, named by the plan or not), and
-- the storage, size and owned sequences of the relations the plan names ($1: schemas, $2: names,
-- pairwise). A partitioned parent has no storage (relfilenode 0) and is sized by its partitions.
SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::int8 AS wal_position,
       (SELECT coalesce(json_object_agg(n.nspname || '.' || c.relname, c.relfilenode::int8), '{}'::json)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%'
          AND n.nspname NOT LIKE 'pg\_temp%') AS filenodes,
       (SELECT coalesce(json_agg(json_build_object(
                 'schema', n.nspname,
                 'name', c.relname,
                 'kind', c.relkind::text,
                 'relfilenode', c.relfilenode::int8,
                 'bytes', CASE WHEN c.relkind = 'p'
                               THEN coalesce((SELECT sum(pg_total_relation_size(p.relid)) FROM pg_partition_tree(c.oid) p WHERE p.isleaf), 0)
                               ELSE pg_total_relation_size(c.oid)
                          END::int8,
                 'owned_sequences', (SELECT coalesce(json_agg(sn.nspname || '.' || s.relname), '[]'::json)
                                     FROM pg_depend d
                                     JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                                     JOIN pg_namespace sn ON sn.oid = s.relnamespace
                                     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                                       AND d.refobjid = c.oid AND d.deptype IN ('a', 'i')))), '[]'::json)
        FROM unnest($1::text[], $2::text[]) AS wanted(schema, name)
        JOIN pg_namespace n ON n.nspname = wanted.schema
        JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = wanted.name) AS relations
