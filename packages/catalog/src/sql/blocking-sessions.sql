-- Who a waiting backend ($1) waits for: the lock it asked for and each session pg_blocking_pids names,
-- with what an operator needs to find it (user, application, state, since when, its query's first line).
-- No row: the backend is not waiting for a lock.
WITH wanted AS (
  SELECT l.mode, l.locktype, CASE WHEN l.relation IS NOT NULL THEN l.relation::regclass::text END AS relation
  FROM pg_locks l
  WHERE l.pid = $1 AND NOT l.granted
  LIMIT 1
)
SELECT w.mode AS wanted_mode, w.locktype AS wanted_locktype, w.relation AS wanted_relation,
       a.pid, a.usename AS user_name, a.application_name, a.state,
       coalesce(a.xact_start, a.query_start, a.backend_start) AS since,
       (extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start, a.backend_start)) * 1000)::bigint AS held_ms,
       left(split_part(ltrim(coalesce(a.query, '')), E'\n', 1), 120) AS query_first_line
FROM wanted w
JOIN pg_stat_activity a ON a.pid = ANY (pg_blocking_pids($1))
ORDER BY a.pid;
