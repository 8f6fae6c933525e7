DROP INDEX `appointments_start`;--> statement-breakpoint
DROP INDEX `appointments_patient_start`;--> statement-breakpoint
CREATE INDEX `appointments_start_covering` ON `appointments` (`start_at`,`status`,`practitioner_id`,`booked_by_type`,`patient_id`,`end_at`,`late_cancel`);--> statement-breakpoint
CREATE INDEX `appointments_patient_start` ON `appointments` (`patient_id`,`start_at`,`status`);