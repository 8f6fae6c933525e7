CREATE TABLE "patient_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"severity" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text
);
--> statement-breakpoint
CREATE TABLE "patient_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"version" integer NOT NULL,
	"field" text NOT NULL,
	"old_value" text,
	"new_value" text,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "sex" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "emergency_name" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "emergency_relation" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "emergency_phone" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "referrer_name" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "referrer_practice" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "referrer_contact" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "identifiers" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_alerts" ADD CONSTRAINT "patient_alerts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_changes" ADD CONSTRAINT "patient_changes_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_alerts_patient" ON "patient_alerts" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "patient_changes_patient" ON "patient_changes" USING btree ("patient_id","changed_at");