ALTER TABLE `patients` ADD `erased_at` integer;--> statement-breakpoint
ALTER TABLE `patients` ADD `restricted_at` integer;--> statement-breakpoint
ALTER TABLE `patients` ADD `restrict_reason` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `retain_until` integer;