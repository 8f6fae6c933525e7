ALTER TABLE `deliveries` ADD `contact_id` text REFERENCES patients(id);--> statement-breakpoint
ALTER TABLE `deliveries` ADD `sms_segments` integer;