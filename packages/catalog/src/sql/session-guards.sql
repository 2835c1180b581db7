-- The guards a new session of this role gets from the server, in milliseconds, and where each comes from:
-- a role's or a database's ALTER … SET ("user", "database", "database user"), the configuration file,
-- the connection's own options ("client"), or PostgreSQL's default. transaction_timeout exists from 17.
SELECT name, setting::bigint AS value_ms, source, current_user AS role_name, current_database() AS database_name
FROM pg_settings
WHERE name IN ('lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout', 'transaction_timeout')
ORDER BY name;
