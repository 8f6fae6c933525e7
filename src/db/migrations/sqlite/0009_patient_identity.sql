CREATE TABLE `patient_codes` (
	`address` text PRIMARY KEY NOT NULL,
	`code_hash` text,
	`link_hash` text,
	`device_hash` text,
	`expires_at` integer,
	`wrong_tries` integer NOT NULL,
	`sends_window_start` integer NOT NULL,
	`sends` integer NOT NULL,
	`failures_window_start` integer NOT NULL,
	`failures` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `patient_guardians` (
	`guardian_id` text NOT NULL,
	`dependent_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`guardian_id`, `dependent_id`),
	FOREIGN KEY (`guardian_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`dependent_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_guardians_dependent` ON `patient_guardians` (`dependent_id`);--> statement-breakpoint
CREATE TABLE `patient_invites` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`address` text NOT NULL,
	`wrong_tries` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_invites_patient` ON `patient_invites` (`patient_id`);--> statement-breakpoint
CREATE TABLE `patient_logins` (
	`address` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `patient_passkeys` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`public_key` text NOT NULL,
	`counter` integer NOT NULL,
	`transports` text,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_passkeys_patient` ON `patient_passkeys` (`patient_id`);--> statement-breakpoint
CREATE TABLE `patient_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`address` text NOT NULL,
	`patient_id` text,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`ip` text,
	`user_agent` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_sessions_patient` ON `patient_sessions` (`patient_id`);--> statement-breakpoint
CREATE INDEX `patient_sessions_address` ON `patient_sessions` (`address`);--> statement-breakpoint
CREATE TABLE `sms_usage` (
	`month` text PRIMARY KEY NOT NULL,
	`segments` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `patients` ADD `possible_duplicate_of` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `preferred_language` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `messages_by_email` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `patients` ADD `messages_by_sms` integer DEFAULT true NOT NULL;