CREATE TABLE `patient_code_failures` (
	`address` text NOT NULL,
	`requester_hash` text NOT NULL,
	`window_start` integer NOT NULL,
	`failures` integer NOT NULL,
	PRIMARY KEY(`address`, `requester_hash`)
);
--> statement-breakpoint
CREATE TABLE `patient_contact_changes` (
	`patient_id` text NOT NULL,
	`channel` text NOT NULL,
	`value` text NOT NULL,
	`code_hash` text NOT NULL,
	`wrong_tries` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`patient_id`, `channel`),
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `patient_guardians` ADD `ends_at` integer;--> statement-breakpoint
ALTER TABLE `staff_accounts` ADD `mfa_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `staff_accounts` ADD `mfa_failures_window_start` integer;--> statement-breakpoint
ALTER TABLE `staff_accounts` ADD `mfa_locked_until` integer;--> statement-breakpoint
ALTER TABLE `staff_sessions` ADD `reauthenticated_at` integer;