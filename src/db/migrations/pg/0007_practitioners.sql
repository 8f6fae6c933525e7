CREATE TABLE "availability_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"practitioner_id" text NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practitioner_profiles" (
	"account_id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"title" text NOT NULL,
	"bio" text NOT NULL,
	"colour" text NOT NULL,
	"bookable_online" boolean NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practitioner_services" (
	"practitioner_id" text NOT NULL,
	"service_id" text NOT NULL,
	CONSTRAINT "practitioner_services_practitioner_id_service_id_pk" PRIMARY KEY("practitioner_id","service_id")
);
--> statement-breakpoint
ALTER TABLE "availability_rules" ADD CONSTRAINT "availability_rules_practitioner_id_practitioner_profiles_account_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "public"."practitioner_profiles"("account_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practitioner_profiles" ADD CONSTRAINT "practitioner_profiles_account_id_staff_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."staff_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practitioner_services" ADD CONSTRAINT "practitioner_services_practitioner_id_practitioner_profiles_account_id_fk" FOREIGN KEY ("practitioner_id") REFERENCES "public"."practitioner_profiles"("account_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practitioner_services" ADD CONSTRAINT "practitioner_services_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "availability_rules_practitioner" ON "availability_rules" USING btree ("practitioner_id","weekday");--> statement-breakpoint
CREATE INDEX "practitioner_services_service" ON "practitioner_services" USING btree ("service_id");