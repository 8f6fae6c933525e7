ALTER TABLE "services" ADD COLUMN "default_note_template_id" text;--> statement-breakpoint
CREATE INDEX "notes_appointment" ON "notes" USING btree ("appointment_id");--> statement-breakpoint
-- Full-text search within a patient's notes (issue 17): a tsvector ('simple': no language's
-- stemming; accents and case folded by the app) of each note's answers and addenda, written by the
-- chart area when a note is created, saved or given an addendum, and at start for any note it
-- lacks. Not a drizzle table (the column type is PostgreSQL's own).
CREATE TABLE "note_search" (
  "note_id" text PRIMARY KEY NOT NULL REFERENCES "notes"("id"),
  "patient_id" text NOT NULL,
  "body" tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX "note_search_body" ON "note_search" USING gin ("body");
--> statement-breakpoint
CREATE INDEX "note_search_patient" ON "note_search" USING btree ("patient_id");
--> statement-breakpoint
-- A note moved to another record (a merge) is found under its new patient.
CREATE FUNCTION note_search_patient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "note_search" SET "patient_id" = NEW."patient_id" WHERE "note_id" = NEW."id";
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "note_search_patient" AFTER UPDATE OF "patient_id" ON "notes" FOR EACH ROW EXECUTE FUNCTION note_search_patient();
