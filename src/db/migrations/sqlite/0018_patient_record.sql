CREATE TABLE `patient_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`severity` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_alerts_patient` ON `patient_alerts` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `patient_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`version` integer NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_changes_patient` ON `patient_changes` (`patient_id`,`changed_at`);--> statement-breakpoint
ALTER TABLE `patients` ADD `sex` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `address` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_name` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_relation` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_phone` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `referrer_name` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `referrer_practice` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `referrer_contact` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `identifiers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `patients` ADD `version` integer DEFAULT 1 NOT NULL;