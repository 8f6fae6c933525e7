ALTER TABLE "appointments" ADD COLUMN "visit_reason" text;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "ask_reason" boolean DEFAULT false NOT NULL;