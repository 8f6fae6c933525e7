CREATE TABLE `inbound_sms_seen` (
	`provider` text NOT NULL,
	`provider_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `provider_id`)
);
--> statement-breakpoint
CREATE TABLE `message_attachments` (
	`message_id` text NOT NULL,
	`document_id` text NOT NULL,
	PRIMARY KEY(`message_id`, `document_id`),
	FOREIGN KEY (`message_id`) REFERENCES `thread_messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `message_threads` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`subject` text NOT NULL,
	`status` text NOT NULL,
	`assigned_to` text,
	`started_by` text NOT NULL,
	`started_by_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_message_at` integer NOT NULL,
	`last_patient_at` integer,
	`last_staff_at` integer,
	`closed_at` integer,
	`closed_by` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_to`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_threads_patient` ON `message_threads` (`patient_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `message_threads_status` ON `message_threads` (`status`,`assigned_to`,`last_message_at`);--> statement-breakpoint
CREATE TABLE `messaging_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`patients_may_start` integer NOT NULL,
	`reply_within_days` integer,
	`reopen_on_reply` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quick_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff_message_alerts` (
	`staff_id` text PRIMARY KEY NOT NULL,
	`email` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `thread_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`thread_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`author_kind` text NOT NULL,
	`author_id` text,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `message_threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `thread_messages_thread` ON `thread_messages` (`thread_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `thread_messages_author` ON `thread_messages` (`author_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `thread_reads` (
	`thread_id` text NOT NULL,
	`reader_id` text NOT NULL,
	`reader_kind` text NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`thread_id`, `reader_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `message_threads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `unmatched_sms` (
	`id` text PRIMARY KEY NOT NULL,
	`from_phone` text NOT NULL,
	`text` text NOT NULL,
	`provider` text NOT NULL,
	`received_at` integer NOT NULL,
	`message_id` text,
	`resolved_at` integer,
	`resolved_by` text,
	FOREIGN KEY (`message_id`) REFERENCES `thread_messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unmatched_sms_open` ON `unmatched_sms` (`resolved_at`,`received_at`);