ALTER TABLE "deliveries" ADD COLUMN "contact_id" text;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "sms_segments" integer;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_contact_id_patients_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;