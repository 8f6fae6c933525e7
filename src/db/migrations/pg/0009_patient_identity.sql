CREATE TABLE "patient_codes" (
	"address" text PRIMARY KEY NOT NULL,
	"code_hash" text,
	"link_hash" text,
	"device_hash" text,
	"expires_at" timestamp with time zone,
	"wrong_tries" integer NOT NULL,
	"sends_window_start" timestamp with time zone NOT NULL,
	"sends" integer NOT NULL,
	"failures_window_start" timestamp with time zone NOT NULL,
	"failures" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_guardians" (
	"guardian_id" text NOT NULL,
	"dependent_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_guardians_guardian_id_dependent_id_pk" PRIMARY KEY("guardian_id","dependent_id")
);
--> statement-breakpoint
CREATE TABLE "patient_invites" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"address" text NOT NULL,
	"wrong_tries" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_logins" (
	"address" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_passkeys" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"public_key" text NOT NULL,
	"counter" integer NOT NULL,
	"transports" jsonb,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "patient_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"patient_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "sms_usage" (
	"month" text PRIMARY KEY NOT NULL,
	"segments" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "possible_duplicate_of" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "preferred_language" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "messages_by_email" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "messages_by_sms" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_guardians" ADD CONSTRAINT "patient_guardians_guardian_id_patients_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_guardians" ADD CONSTRAINT "patient_guardians_dependent_id_patients_id_fk" FOREIGN KEY ("dependent_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_invites" ADD CONSTRAINT "patient_invites_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_logins" ADD CONSTRAINT "patient_logins_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_passkeys" ADD CONSTRAINT "patient_passkeys_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD CONSTRAINT "patient_sessions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_guardians_dependent" ON "patient_guardians" USING btree ("dependent_id");--> statement-breakpoint
CREATE INDEX "patient_invites_patient" ON "patient_invites" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "patient_passkeys_patient" ON "patient_passkeys" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "patient_sessions_patient" ON "patient_sessions" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "patient_sessions_address" ON "patient_sessions" USING btree ("address");