-- The relation locks the migration's backend ($1) holds or waits for in this database, on user
-- relations, and the ones the synthetic writers ($2) are waiting for. A relation created by a
-- still-open transaction is invisible here (its pg_class row is not committed), which is right: nobody
-- else can be waiting for it.
SELECT l.pid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS kind,
       l.mode,
       l.granted
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE (l.pid = $1 OR (l.pid = ANY ($2::int[]) AND NOT l.granted))
  AND l.locktype = 'relation'
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
