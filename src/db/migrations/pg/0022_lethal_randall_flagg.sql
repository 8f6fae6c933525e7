CREATE TABLE "patient_exports" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"status" text NOT NULL,
	"object_key" text,
	"wrapped_key" text,
	"size" bigint,
	"sha256" text,
	"created_at" timestamp with time zone NOT NULL,
	"ready_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "patient_exports" ADD CONSTRAINT "patient_exports_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_exports_patient" ON "patient_exports" USING btree ("patient_id","created_at");