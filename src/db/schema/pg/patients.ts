import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** The patients area: patient records, their app's sign-in, families and invitations. */

/**
 * Patients: the record every appointment, note and document hangs on. Sign-in (one-time codes)
 * and the portal build on it.
 */
export const patients = pgTable(
  'patients',
  {
    id: text('id').primaryKey(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    dateOfBirth: text('date_of_birth').notNull(),
    email: text('email'),
    phone: text('phone'),
    /** Lower-cased "first last" for search-as-you-type. */
    searchName: text('search_name').notNull(),
    /** A self-registration that matches an existing record (name + date of birth), for staff to merge. */
    possibleDuplicateOf: text('possible_duplicate_of'),
    /** The record this one was merged into (it is then archived: cannot be booked or signed into); null = not merged. */
    mergedInto: text('merged_into'),
    /** The language messages and the patient app use (a BCP 47 tag such as fr), or the clinic's. */
    preferredLanguage: text('preferred_language'),
    /** Communication consents per channel (messages about appointments, reminders). */
    messagesByEmail: boolean('messages_by_email').notNull().default(true),
    messagesBySms: boolean('messages_by_sms').notNull().default(true),
    messagesByPush: boolean('messages_by_push').notNull().default(true),
    quietHours: text('quiet_hours'),
    /** Sex as recorded (female, male, other, unknown); null = not recorded. */
    sex: text('sex', { enum: ['female', 'male', 'other', 'unknown'] }),
    /** The postal address as one block of text (lines separated by newlines). */
    address: text('address'),
    /** Whom to call in an emergency. */
    emergencyName: text('emergency_name'),
    emergencyRelation: text('emergency_relation'),
    emergencyPhone: text('emergency_phone'),
    /** The referrer or GP: name, practice, and how to reach them. */
    referrerName: text('referrer_name'),
    referrerPractice: text('referrer_practice'),
    referrerContact: text('referrer_contact'),
    /** Typed identifiers (insurance, national number…) as JSON `[{"type","value"}]`. */
    identifiers: text('identifiers').notNull().default('[]'),
    /** Bumped by every staff change of the record: a change must name the version it read. */
    version: integer('version').notNull().default(1),
    status: text('status', { enum: ['active', 'archived'] }).notNull(),
    termsVersion: text('terms_version'),
    termsAcceptedAt: timestamp('terms_accepted_at', { withTimezone: true, mode: 'date' }),
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }),
    restrictedAt: timestamp('restricted_at', { withTimezone: true, mode: 'date' }),
    restrictReason: text('restrict_reason'),
    retainUntil: timestamp('retain_until', { withTimezone: true, mode: 'date' }),
    purgeListedAt: timestamp('purge_listed_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('patients_search_name').on(t.searchName),
    index('patients_last_name').on(t.lastName),
    index('patients_email').on(t.email),
    index('patients_phone').on(t.phone),
  ],
);

/**
 * Addresses that sign in to the patient portal (`email:a@b.example`, `phone:+33612345678`), each
 * for one patient. Made by self-registration or a staff invitation — never from a record's
 * contact details alone (a family may share one email).
 */
export const patientLogins = pgTable('patient_logins', {
  address: text('address').primaryKey(),
  patientId: text('patient_id')
    .notNull()
    .references(() => patients.id),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/**
 * The live one-time code of an address (a new one replaces it), stored hashed, with the counters
 * that limit sends and wrong guesses per address over an hour.
 */
export const patientCodes = pgTable('patient_codes', {
  address: text('address').primaryKey(),
  codeHash: text('code_hash'),
  /** The email's sign-in link, and the browser that asked (its sign-in cookie), both hashed. */
  linkHash: text('link_hash'),
  deviceHash: text('device_hash'),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  wrongTries: integer('wrong_tries').notNull(),
  sendsWindowStart: timestamp('sends_window_start', { withTimezone: true, mode: 'date' }).notNull(),
  sends: integer('sends').notNull(),
  failuresWindowStart: timestamp('failures_window_start', { withTimezone: true, mode: 'date' }).notNull(),
  failures: integer('failures').notNull(),
});

/** Patient sessions: only the token's SHA-256 is kept; 30 days, sliding. `patient_id` is empty until registration. */
export const patientSessions = pgTable(
  'patient_sessions',
  {
    id: text('id').primaryKey(),
    address: text('address').notNull(),
    patientId: text('patient_id').references(() => patients.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('patient_sessions_patient').on(t.patientId), index('patient_sessions_address').on(t.address)],
);

/** Family accounts: a guardian (a signed-in patient) and the dependants they book and read for. */
export const patientGuardians = pgTable(
  'patient_guardians',
  {
    guardianId: text('guardian_id')
      .notNull()
      .references(() => patients.id),
    dependentId: text('dependent_id')
      .notNull()
      .references(() => patients.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The link ends then (a date staff set, or the moment it was ended); null = no end. */
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.guardianId, t.dependentId] }),
    index('patient_guardians_dependent').on(t.dependentId),
  ],
);

/** Portal invitations staff send to patients with a record: the link's hash, checked with the birth date. */
export const patientInvites = pgTable(
  'patient_invites',
  {
    tokenHash: text('token_hash').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    address: text('address').notNull(),
    wrongTries: integer('wrong_tries').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('patient_invites_patient').on(t.patientId)],
);

/** Patients' passkeys: after adding one, a patient signs in with it alone. */
export const patientPasskeys = pgTable(
  'patient_passkeys',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull(),
    transports: jsonb('transports').$type<string[]>(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('patient_passkeys_patient').on(t.patientId)],
);

/**
 * Wrong sign-in codes per address and per requester (the asking browser's sign-in cookie or, without
 * one, its network address), both hashed: one device's guesses lock that device out, not the patient.
 */
export const patientCodeFailures = pgTable(
  'patient_code_failures',
  {
    address: text('address').notNull(),
    requesterHash: text('requester_hash').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true, mode: 'date' }).notNull(),
    failures: integer('failures').notNull(),
  },
  (t) => [primaryKey({ columns: [t.address, t.requesterHash] })],
);

/** A new email or phone a patient gave, used only once the code sent to it comes back. */
export const patientContactChanges = pgTable(
  'patient_contact_changes',
  {
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    channel: text('channel', { enum: ['email', 'phone'] }).notNull(),
    value: text('value').notNull(),
    codeHash: text('code_hash').notNull(),
    wrongTries: integer('wrong_tries').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.patientId, t.channel] })],
);

/**
 * Every change staff make to a patient record, one row per field: its old and new value (as text;
 * identifiers as JSON), who made it and when. Shown on the chart as its history; never changed.
 */
export const patientChanges = pgTable(
  'patient_changes',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The record's version this change made. */
    version: integer('version').notNull(),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
    /** The staff member (or patient) who made it; type as in the audit log. */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('patient_changes_patient').on(t.patientId, t.changedAt)],
);

/**
 * Alerts on a patient's chart: allergies, medical alerts and admin notes, shown as a banner to
 * every staff member who handles the patient. Resolved ones stay (`resolved_at`/`resolved_by`).
 */
export const patientAlerts = pgTable(
  'patient_alerts',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind', { enum: ['allergy', 'medical', 'admin'] }).notNull(),
    text: text('text').notNull(),
    severity: text('severity', { enum: ['low', 'moderate', 'high'] }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolvedBy: text('resolved_by'),
  },
  (t) => [index('patient_alerts_patient').on(t.patientId, t.createdAt)],
);
