-- Which of the given schemas exist.
SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY ($1::text[]) ORDER BY 1
