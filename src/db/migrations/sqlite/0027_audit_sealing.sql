-- Audit rows are inserted unsealed and chained afterwards by the sealer (domain/audit): seq, prev_hash
-- and hash are given once, by an UPDATE the triggers below allow alone. Rows already chained keep
-- their hashes, at seq = id. The table is rebuilt (SQLite cannot drop NOT NULL), which drops its
-- triggers: they are made again at the end.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`patient_id` text,
	`ip` text,
	`user_agent` text,
	`request_id` text,
	`details` text,
	`mac` text,
	`seq` integer,
	`prev_hash` text,
	`hash` text
);
--> statement-breakpoint
INSERT INTO `__new_audit_log`("id", "at", "actor_type", "actor_id", "action", "entity", "entity_id", "patient_id", "ip", "user_agent", "request_id", "details", "mac", "seq", "prev_hash", "hash") SELECT "id", "at", "actor_type", "actor_id", "action", "entity", "entity_id", "patient_id", "ip", "user_agent", "request_id", "details", NULL, "id", "prev_hash", "hash" FROM `audit_log`;--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `audit_log_patient` ON `audit_log` (`patient_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_type`,`actor_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_seq` ON `audit_log` (`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_unsealed` ON `audit_log` (`id`) WHERE seq is null;;--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;--> statement-breakpoint
-- A new row only (never over an existing id: INSERT OR REPLACE), unsealed, or sealed whole (restore).
CREATE TRIGGER audit_log_insert_new BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
  OR (NEW.seq IS NULL) <> (NEW.hash IS NULL) OR (NEW.seq IS NULL) <> (NEW.prev_hash IS NULL)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an insert is a new row, unsealed or sealed whole'); END;--> statement-breakpoint
-- The one update: sealing an unsealed row once, its contents unchanged, at the position after the
-- sealed row whose hash it links to (with the unique seq: one chain, no gap, no fork).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_type IS NOT OLD.actor_type
  OR NEW.actor_id IS NOT OLD.actor_id OR NEW.action IS NOT OLD.action OR NEW.entity IS NOT OLD.entity
  OR NEW.entity_id IS NOT OLD.entity_id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.ip IS NOT OLD.ip
  OR NEW.user_agent IS NOT OLD.user_agent OR NEW.request_id IS NOT OLD.request_id
  OR NEW.details IS NOT OLD.details OR NEW.mac IS NOT OLD.mac
  OR NOT (CASE WHEN NEW.seq = 1 THEN NEW.prev_hash = '0000000000000000000000000000000000000000000000000000000000000000'
    ELSE EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq - 1 AND hash = NEW.prev_hash) END)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: a row is only sealed, once, unchanged, after the last sealed row'); END;