-- How many other sessions wait for a lock this session holds (a batch's row locks, just before it commits:
-- the application writes rows the batch holds). pg_blocking_pids only for sessions waiting on a lock at all.
SELECT count(*) AS waiting
FROM pg_stat_activity
WHERE wait_event_type = 'Lock'
  AND pid <> pg_backend_pid()
  AND pg_backend_pid() = ANY (pg_blocking_pids(pid));
