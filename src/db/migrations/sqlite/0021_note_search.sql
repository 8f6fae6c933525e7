ALTER TABLE `services` ADD `default_note_template_id` text;--> statement-breakpoint
CREATE INDEX `notes_appointment` ON `notes` (`appointment_id`);--> statement-breakpoint
-- Full-text search within a patient's notes (issue 17): the text of each note's answers and
-- addenda (accents and case folded), written by the chart area when a note is created, saved or
-- given an addendum, and at start for any note it lacks. Not a drizzle table (FTS5 is SQLite's own).
CREATE VIRTUAL TABLE `note_search` USING fts5(note_id, patient_id, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
--> statement-breakpoint
-- A note moved to another record (a merge) is found under its new patient.
CREATE TRIGGER `note_search_patient` AFTER UPDATE OF `patient_id` ON `notes` BEGIN UPDATE `note_search` SET `patient_id` = NEW.`patient_id` WHERE `note_search` MATCH 'note_id:"' || NEW.`id` || '"'; END;
