-- Audit rows are inserted unsealed and chained afterwards by the sealer (domain/audit): seq, prev_hash
-- and hash are given once, by an UPDATE the triggers below allow alone. Rows already chained keep
-- their hashes, at seq = id (ids were given at the head, one after another, by the old trigger).
DROP TRIGGER audit_log_append_at_head ON audit_log;--> statement-breakpoint
DROP FUNCTION audit_log_append_at_head();--> statement-breakpoint
DROP TRIGGER audit_log_no_change ON audit_log;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "mac" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_unsealed" ON "audit_log" USING btree ("id") WHERE seq is null;;--> statement-breakpoint
UPDATE audit_log SET seq = id;--> statement-breakpoint
-- A new row only, unsealed, or sealed whole (restore).
CREATE FUNCTION audit_log_insert_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.seq IS NULL) <> (NEW.hash IS NULL) OR (NEW.seq IS NULL) <> (NEW.prev_hash IS NULL) THEN
    RAISE EXCEPTION 'audit_log is append-only: an insert is a new row, unsealed or sealed whole';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_insert_new BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_insert_new();--> statement-breakpoint
-- No DELETE; the one UPDATE seals an unsealed row once, its contents unchanged.
CREATE FUNCTION audit_log_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
    OR (NEW.id, NEW.at, NEW.actor_type, NEW.actor_id, NEW.action, NEW.entity, NEW.entity_id, NEW.patient_id,
        NEW.ip, NEW.user_agent, NEW.request_id, NEW.details, NEW.mac)
      IS DISTINCT FROM (OLD.id, OLD.at, OLD.actor_type, OLD.actor_id, OLD.action, OLD.entity, OLD.entity_id,
        OLD.patient_id, OLD.ip, OLD.user_agent, OLD.request_id, OLD.details, OLD.mac) THEN
    RAISE EXCEPTION 'audit_log is append-only: a row is only sealed, once, unchanged';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_seal_only();--> statement-breakpoint
-- Once the sealing statement is done, each row it sealed links to the row one position before it
-- (with the unique seq: one chain, no gap, no fork).
CREATE FUNCTION audit_log_sealed_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  linked boolean;
BEGIN
  IF NEW.seq = 1 THEN
    linked := NEW.prev_hash = repeat('0', 64);
  ELSE
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I WHERE seq = $1 AND hash = $2)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
      INTO linked USING NEW.seq - 1, NEW.prev_hash;
  END IF;
  IF NOT linked THEN
    RAISE EXCEPTION 'audit_log is append-only: a sealed row must link to the row before it';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_sealed_in_order AFTER UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_sealed_in_order();