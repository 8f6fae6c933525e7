-- A row may only be appended at the head: linked to the last row's hash, and given the next id here
-- (the identity sequence skips numbers when a transaction rolls back, so the id cannot be required of
-- the caller; a row given another id with OVERRIDING SYSTEM VALUE still lands at the head). The keyed
-- hash (HMAC under the clinic master key) keeps a row appended by someone without the key from verifying.
CREATE FUNCTION audit_log_append_at_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_id bigint;
  last_hash text;
BEGIN
  EXECUTE format('SELECT id, hash FROM %I.%I ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA, TG_TABLE_NAME)
    INTO last_id, last_hash;
  IF NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, repeat('0', 64)) THEN
    RAISE EXCEPTION 'audit_log is append-only: a row must link to the last row';
  END IF;
  NEW.id := coalesce(last_id, 0) + 1;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_append_at_head BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_at_head();
