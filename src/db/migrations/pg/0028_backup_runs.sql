CREATE TABLE "backup_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"job_id" bigint,
	"trigger" text NOT NULL,
	"requested_by" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"target" text NOT NULL,
	"archive" text,
	"size" bigint,
	"duration_ms" bigint,
	"error" text,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "backup_runs_created" ON "backup_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "backup_runs_job" ON "backup_runs" USING btree ("job_id");