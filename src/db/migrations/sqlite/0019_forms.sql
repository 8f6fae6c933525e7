CREATE TABLE `patient_forms` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`template_id` text NOT NULL,
	`template_version` integer NOT NULL,
	`appointment_id` text,
	`status` text NOT NULL,
	`answers` text NOT NULL,
	`version` integer NOT NULL,
	`sent_by` text,
	`sent_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	`submitted_by` text,
	`signature_kind` text,
	`signature_name` text,
	`signature_image` text,
	`signed_at` integer,
	`signed_ip` text,
	`signed_user_agent` text,
	`document_id` text,
	`reviewed_at` integer,
	`reviewed_by` text,
	`reminded_at` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`,`template_version`) REFERENCES `template_versions`(`template_id`,`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_forms_patient` ON `patient_forms` (`patient_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `patient_forms_status` ON `patient_forms` (`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `patient_forms_appointment` ON `patient_forms` (`appointment_id`);--> statement-breakpoint
CREATE TABLE `service_forms` (
	`service_id` text NOT NULL,
	`template_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`service_id`, `template_id`),
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `patients` ADD `terms_version` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `terms_accepted_at` integer;