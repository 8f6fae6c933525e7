-- A row may only be appended at the head: the next id, linked to the last row's hash. This refuses
-- INSERT OR REPLACE of an existing id (its implicit delete fires no trigger unless the connection
-- set recursive_triggers) and any row slipped in between; the keyed hash (HMAC under the clinic
-- master key) keeps a row appended here by someone without the key from verifying.
CREATE TRIGGER audit_log_append_at_head BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit_log)
  OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: a row must take the next id and link to the last row'); END;
