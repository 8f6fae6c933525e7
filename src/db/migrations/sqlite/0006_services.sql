CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`duration_min` integer NOT NULL,
	`buffer_before_min` integer NOT NULL,
	`buffer_after_min` integer NOT NULL,
	`online_bookable` integer NOT NULL,
	`new_patients_allowed` integer NOT NULL,
	`requires_approval` integer NOT NULL,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
