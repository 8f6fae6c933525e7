ALTER TABLE `appointments` ADD `visit_reason` text;--> statement-breakpoint
ALTER TABLE `services` ADD `ask_reason` integer DEFAULT false NOT NULL;