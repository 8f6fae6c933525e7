-- SQLite's read_versions (its migration 0033) has no PostgreSQL counterpart: on PostgreSQL the
-- cached reads read the database every time. This migration keeps the two dialects' numbers in step.
SELECT 1;
