ALTER TABLE "patients" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "restricted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "restrict_reason" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "retain_until" timestamp with time zone;