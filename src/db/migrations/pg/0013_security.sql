CREATE TABLE "patient_code_failures" (
	"address" text NOT NULL,
	"requester_hash" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"failures" integer NOT NULL,
	CONSTRAINT "patient_code_failures_address_requester_hash_pk" PRIMARY KEY("address","requester_hash")
);
--> statement-breakpoint
CREATE TABLE "patient_contact_changes" (
	"patient_id" text NOT NULL,
	"channel" text NOT NULL,
	"value" text NOT NULL,
	"code_hash" text NOT NULL,
	"wrong_tries" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_contact_changes_patient_id_channel_pk" PRIMARY KEY("patient_id","channel")
);
--> statement-breakpoint
ALTER TABLE "patient_guardians" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_accounts" ADD COLUMN "mfa_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_accounts" ADD COLUMN "mfa_failures_window_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_accounts" ADD COLUMN "mfa_locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD COLUMN "reauthenticated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "patient_contact_changes" ADD CONSTRAINT "patient_contact_changes_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;