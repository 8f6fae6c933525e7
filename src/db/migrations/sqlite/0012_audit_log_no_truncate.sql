-- SQLite has no TRUNCATE: a DELETE without WHERE fires audit_log_no_delete (triggers turn off the
-- truncate optimisation). This only re-asserts that trigger, keeping the numbering parallel with PostgreSQL.
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
