CREATE TABLE `availability_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`practitioner_id` text NOT NULL,
	`weekday` integer NOT NULL,
	`start_time` text NOT NULL,
	`end_time` text NOT NULL,
	FOREIGN KEY (`practitioner_id`) REFERENCES `practitioner_profiles`(`account_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `availability_rules_practitioner` ON `availability_rules` (`practitioner_id`,`weekday`);--> statement-breakpoint
CREATE TABLE `practitioner_profiles` (
	`account_id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`title` text NOT NULL,
	`bio` text NOT NULL,
	`colour` text NOT NULL,
	`bookable_online` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `practitioner_services` (
	`practitioner_id` text NOT NULL,
	`service_id` text NOT NULL,
	PRIMARY KEY(`practitioner_id`, `service_id`),
	FOREIGN KEY (`practitioner_id`) REFERENCES `practitioner_profiles`(`account_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `practitioner_services_service` ON `practitioner_services` (`service_id`);