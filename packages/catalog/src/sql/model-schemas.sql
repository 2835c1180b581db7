-- The schemas a model's objects live in: every user schema other than public, and public when it holds
-- a table, view, sequence or enum other than Prisma's and this toolkit's bookkeeping tables.
SELECT n.nspname AS name
FROM pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND (n.nspname <> 'public'
       OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND c.relname NOT IN ('_prisma_migrations', '_soleflip_migrator_journal'))
       OR EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid AND t.typtype = 'e'))
ORDER BY 1
