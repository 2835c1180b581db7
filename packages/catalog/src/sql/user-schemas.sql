-- Every schema that is not PostgreSQL's own ($1: also leave out public).
SELECT nspname AS name
FROM pg_namespace
WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' AND (NOT $1::boolean OR nspname <> 'public')
ORDER BY 1
