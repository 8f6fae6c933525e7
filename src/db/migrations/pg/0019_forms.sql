CREATE TABLE "patient_forms" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"template_id" text NOT NULL,
	"template_version" integer NOT NULL,
	"appointment_id" text,
	"status" text NOT NULL,
	"answers" text NOT NULL,
	"version" integer NOT NULL,
	"sent_by" text,
	"sent_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"signature_kind" text,
	"signature_name" text,
	"signature_image" text,
	"signed_at" timestamp with time zone,
	"signed_ip" text,
	"signed_user_agent" text,
	"document_id" text,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" text,
	"reminded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "service_forms" (
	"service_id" text NOT NULL,
	"template_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_forms_service_id_template_id_pk" PRIMARY KEY("service_id","template_id")
);
--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "terms_version" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "terms_accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "patient_forms" ADD CONSTRAINT "patient_forms_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_forms" ADD CONSTRAINT "patient_forms_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_forms" ADD CONSTRAINT "patient_forms_sent_by_staff_accounts_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."staff_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_forms" ADD CONSTRAINT "patient_forms_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_forms" ADD CONSTRAINT "patient_forms_reviewed_by_staff_accounts_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."staff_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_forms" ADD CONSTRAINT "patient_forms_template_id_template_version_template_versions_template_id_version_fk" FOREIGN KEY ("template_id","template_version") REFERENCES "public"."template_versions"("template_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_forms" ADD CONSTRAINT "service_forms_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_forms" ADD CONSTRAINT "service_forms_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_forms_patient" ON "patient_forms" USING btree ("patient_id","sent_at");--> statement-breakpoint
CREATE INDEX "patient_forms_status" ON "patient_forms" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "patient_forms_appointment" ON "patient_forms" USING btree ("appointment_id");