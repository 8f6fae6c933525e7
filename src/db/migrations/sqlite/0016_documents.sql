CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`object_key` text NOT NULL,
	`wrapped_key` text NOT NULL,
	`document_date` text NOT NULL,
	`appointment_id` text,
	`shared_with_patient` integer DEFAULT false NOT NULL,
	`shared_at` integer,
	`source` text NOT NULL,
	`uploaded_by` text,
	`reviewed_at` integer,
	`reviewed_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`deleted_by` text,
	`delete_reason` text,
	`purged_at` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deleted_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_object_key` ON `documents` (`object_key`);--> statement-breakpoint
CREATE INDEX `documents_patient` ON `documents` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `documents_to_review` ON `documents` (`created_at`) WHERE source = 'patient' and reviewed_at is null;--> statement-breakpoint
CREATE INDEX `documents_deleted` ON `documents` (`deleted_at`) WHERE deleted_at is not null and purged_at is null;