-- Where the server's write-ahead log insert position is now (bytes since the start of the log).
SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::int8 AS position
