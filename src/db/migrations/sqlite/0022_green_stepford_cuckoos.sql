CREATE TABLE `patient_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`requested_by_type` text NOT NULL,
	`requested_by_id` text NOT NULL,
	`status` text NOT NULL,
	`object_key` text,
	`wrapped_key` text,
	`size` integer,
	`sha256` text,
	`created_at` integer NOT NULL,
	`ready_at` integer,
	`expires_at` integer,
	`purged_at` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_exports_patient` ON `patient_exports` (`patient_id`,`created_at`);