CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` integer,
	`patient_id` text,
	`staff_id` text,
	`recipient` text NOT NULL,
	`channel` text NOT NULL,
	`message_type` text NOT NULL,
	`language` text NOT NULL,
	`status` text NOT NULL,
	`provider_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`dedupe_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_dedupe_key_unique` ON `deliveries` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `deliveries_patient` ON `deliveries` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `deliveries_status` ON `deliveries` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `deliveries_created` ON `deliveries` (`created_at`);--> statement-breakpoint
CREATE INDEX `deliveries_job` ON `deliveries` (`job_id`);--> statement-breakpoint
CREATE TABLE `message_templates` (
	`message_type` text NOT NULL,
	`channel` text NOT NULL,
	`language` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`message_type`, `channel`, `language`)
);
--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`user_agent` text,
	`created_at` integer NOT NULL,
	`last_success_at` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_endpoint_unique` ON `push_subscriptions` (`endpoint`);--> statement-breakpoint
CREATE INDEX `push_subscriptions_patient` ON `push_subscriptions` (`patient_id`);--> statement-breakpoint
ALTER TABLE `patients` ADD `messages_by_push` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `patients` ADD `quiet_hours` text;--> statement-breakpoint
ALTER TABLE `services` ADD `reminder_hours` text;--> statement-breakpoint
ALTER TABLE `staff_accounts` ADD `booking_alerts` text DEFAULT 'email' NOT NULL;