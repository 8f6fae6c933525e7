-- Change counts for the in-memory read caches (db/versioned-read.ts; issue 21): a count per table
-- of the rows inserted, changed and deleted, kept by triggers in the writing transaction, whoever
-- writes (the server, a CLI command, a restore). A cached read is served while the counts of the
-- tables it read are what they were when it was read. SQLite only (PostgreSQL reads every time:
-- one counted row would make every instance's writes wait for each other). Not a drizzle table:
-- not backed up or exported as a table of its own; a restore's migrations make it again.
CREATE TABLE `read_versions` (`name` text PRIMARY KEY NOT NULL, `version` integer NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `read_versions` (`name`, `version`) VALUES ('appointments', 0), ('services', 0), ('practitioner_profiles', 0), ('patients', 0);
--> statement-breakpoint
CREATE TRIGGER `appointments_read_version_insert` AFTER INSERT ON `appointments` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'appointments'; END;
--> statement-breakpoint
CREATE TRIGGER `appointments_read_version_update` AFTER UPDATE ON `appointments` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'appointments'; END;
--> statement-breakpoint
CREATE TRIGGER `appointments_read_version_delete` AFTER DELETE ON `appointments` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'appointments'; END;
--> statement-breakpoint
CREATE TRIGGER `services_read_version_insert` AFTER INSERT ON `services` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'services'; END;
--> statement-breakpoint
CREATE TRIGGER `services_read_version_update` AFTER UPDATE ON `services` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'services'; END;
--> statement-breakpoint
CREATE TRIGGER `services_read_version_delete` AFTER DELETE ON `services` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'services'; END;
--> statement-breakpoint
CREATE TRIGGER `practitioner_profiles_read_version_insert` AFTER INSERT ON `practitioner_profiles` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'practitioner_profiles'; END;
--> statement-breakpoint
CREATE TRIGGER `practitioner_profiles_read_version_update` AFTER UPDATE ON `practitioner_profiles` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'practitioner_profiles'; END;
--> statement-breakpoint
CREATE TRIGGER `practitioner_profiles_read_version_delete` AFTER DELETE ON `practitioner_profiles` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'practitioner_profiles'; END;
--> statement-breakpoint
CREATE TRIGGER `patients_read_version_insert` AFTER INSERT ON `patients` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'patients'; END;
--> statement-breakpoint
CREATE TRIGGER `patients_read_version_update` AFTER UPDATE ON `patients` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'patients'; END;
--> statement-breakpoint
CREATE TRIGGER `patients_read_version_delete` AFTER DELETE ON `patients` BEGIN UPDATE `read_versions` SET `version` = `version` + 1 WHERE `name` = 'patients'; END;
