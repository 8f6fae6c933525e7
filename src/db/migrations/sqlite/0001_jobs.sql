CREATE TABLE `job_schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`cron` text NOT NULL,
	`time_zone` text NOT NULL,
	`job_name` text NOT NULL,
	`next_run_at` integer NOT NULL,
	`last_enqueued_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`run_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`lease_until` integer,
	`locked_by` text,
	`last_error` text,
	`unique_key` text,
	`priority` integer DEFAULT 0 NOT NULL,
	`request_id` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_unique_key_live` ON `jobs` (`unique_key`) WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX `jobs_claim` ON `jobs` (`priority`,`run_at`,`id`) WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX `jobs_lease` ON `jobs` (`lease_until`) WHERE status = 'running';--> statement-breakpoint
CREATE INDEX `jobs_status_finished` ON `jobs` (`status`,`finished_at`);--> statement-breakpoint
CREATE INDEX `jobs_name` ON `jobs` (`name`);