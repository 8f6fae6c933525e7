CREATE TABLE `backup_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` integer,
	`trigger` text NOT NULL,
	`requested_by` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`target` text NOT NULL,
	`archive` text,
	`size` integer,
	`duration_ms` integer,
	`error` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `backup_runs_created` ON `backup_runs` (`created_at`);--> statement-breakpoint
CREATE INDEX `backup_runs_job` ON `backup_runs` (`job_id`);