-- Storage identity and size of the given relations ($1: schemas, $2: names, pairwise), and the
-- sequences they own (serial and identity columns). A rewrite gives a table a new relfilenode; a
-- partitioned parent has none (0) and is sized by its partitions.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS kind,
       (SELECT coalesce(json_agg(json_build_object('schema', sn.nspname, 'name', s.relname)), '[]'::json)
        FROM pg_depend d
        JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
        JOIN pg_namespace sn ON sn.oid = s.relnamespace
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid = c.oid AND d.deptype IN ('a', 'i')) AS owned_sequences,
       c.relfilenode::int8 AS relfilenode,
       CASE WHEN c.relkind = 'p'
            THEN coalesce((SELECT sum(pg_total_relation_size(p.relid)) FROM pg_partition_tree(c.oid) p WHERE p.isleaf), 0)
            ELSE pg_total_relation_size(c.oid)
       END::int8 AS bytes
FROM unnest($1::text[], $2::text[]) AS wanted(schema, name)
JOIN pg_namespace n ON n.nspname = wanted.schema
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = wanted.name
