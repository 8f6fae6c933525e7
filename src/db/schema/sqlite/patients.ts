import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The patients area: patient records, their app's sign-in, families and invitations. */

/**
 * Patients: the record every appointment, note and document hangs on. Sign-in (one-time codes)
 * and the portal build on it.
 */
export const patients = sqliteTable(
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
    messagesByEmail: integer('messages_by_email', { mode: 'boolean' }).notNull().default(true),
    messagesBySms: integer('messages_by_sms', { mode: 'boolean' }).notNull().default(true),
    messagesByPush: integer('messages_by_push', { mode: 'boolean' }).notNull().default(true),
    /** SMS quiet hours: null = the clinic's, 'off' = none, 'HH:MM-HH:MM' (clinic time zone). */
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
    /** The version of the terms the patient accepted when registering in the app, and when (null: never). */
    termsVersion: text('terms_version'),
    termsAcceptedAt: integer('terms_accepted_at', { mode: 'timestamp_ms' }),
    /**
     * Erased (GDPR art. 17): the personal fields are cleared and the row stays as a tombstone so
     * appointments still count; null = not erased.
     */
    erasedAt: integer('erased_at', { mode: 'timestamp_ms' }),
    /**
     * Restricted (GDPR art. 18, clinical records kept by law): hidden from lists, search, the Inbox
     * and messages, sign-in refused, until `retain_until`; then an admin confirms the purge.
     */
    restrictedAt: integer('restricted_at', { mode: 'timestamp_ms' }),
    restrictReason: text('restrict_reason'),
    retainUntil: integer('retain_until', { mode: 'timestamp_ms' }),
    /** When the daily retention job listed it in the Inbox for an admin to confirm the purge. */
    purgeListedAt: integer('purge_listed_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
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
export const patientLogins = sqliteTable('patient_logins', {
  address: text('address').primaryKey(),
  patientId: text('patient_id')
    .notNull()
    .references(() => patients.id),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * The live one-time code of an address (a new one replaces it), stored hashed, with the counters
 * that limit sends and wrong guesses per address over an hour.
 */
export const patientCodes = sqliteTable('patient_codes', {
  address: text('address').primaryKey(),
  codeHash: text('code_hash'),
  /** The email's sign-in link, and the browser that asked (its sign-in cookie), both hashed. */
  linkHash: text('link_hash'),
  deviceHash: text('device_hash'),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
  wrongTries: integer('wrong_tries').notNull(),
  sendsWindowStart: integer('sends_window_start', { mode: 'timestamp_ms' }).notNull(),
  sends: integer('sends').notNull(),
  failuresWindowStart: integer('failures_window_start', { mode: 'timestamp_ms' }).notNull(),
  failures: integer('failures').notNull(),
});

/** Patient sessions: only the token's SHA-256 is kept; 30 days, sliding. `patient_id` is empty until registration. */
export const patientSessions = sqliteTable(
  'patient_sessions',
  {
    id: text('id').primaryKey(),
    address: text('address').notNull(),
    patientId: text('patient_id').references(() => patients.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('patient_sessions_patient').on(t.patientId), index('patient_sessions_address').on(t.address)],
);

/** Family accounts: a guardian (a signed-in patient) and the dependants they book and read for. */
export const patientGuardians = sqliteTable(
  'patient_guardians',
  {
    guardianId: text('guardian_id')
      .notNull()
      .references(() => patients.id),
    dependentId: text('dependent_id')
      .notNull()
      .references(() => patients.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** The link ends then (a date staff set, or the moment it was ended); null = no end. */
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    primaryKey({ columns: [t.guardianId, t.dependentId] }),
    index('patient_guardians_dependent').on(t.dependentId),
  ],
);

/** Portal invitations staff send to patients with a record: the link's hash, checked with the birth date. */
export const patientInvites = sqliteTable(
  'patient_invites',
  {
    tokenHash: text('token_hash').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    address: text('address').notNull(),
    wrongTries: integer('wrong_tries').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('patient_invites_patient').on(t.patientId)],
);

/** Patients' passkeys: after adding one, a patient signs in with it alone. */
export const patientPasskeys = sqliteTable(
  'patient_passkeys',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull(),
    transports: text('transports', { mode: 'json' }).$type<string[]>(),
    name: text('name').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('patient_passkeys_patient').on(t.patientId)],
);

/**
 * Wrong sign-in codes per address and per requester (the asking browser's sign-in cookie or, without
 * one, its network address), both hashed: one device's guesses lock that device out, not the patient.
 */
export const patientCodeFailures = sqliteTable(
  'patient_code_failures',
  {
    address: text('address').notNull(),
    requesterHash: text('requester_hash').notNull(),
    windowStart: integer('window_start', { mode: 'timestamp_ms' }).notNull(),
    failures: integer('failures').notNull(),
  },
  (t) => [primaryKey({ columns: [t.address, t.requesterHash] })],
);

/** A new email or phone a patient gave, used only once the code sent to it comes back. */
export const patientContactChanges = sqliteTable(
  'patient_contact_changes',
  {
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    channel: text('channel', { enum: ['email', 'phone'] }).notNull(),
    value: text('value').notNull(),
    codeHash: text('code_hash').notNull(),
    wrongTries: integer('wrong_tries').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.patientId, t.channel] })],
);

/**
 * Every change staff make to a patient record, one row per field: its old and new value (as text;
 * identifiers as JSON), who made it and when. Shown on the chart as its history; never changed.
 */
export const patientChanges = sqliteTable(
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
    changedAt: integer('changed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('patient_changes_patient').on(t.patientId, t.changedAt)],
);

/**
 * Alerts on a patient's chart: allergies, medical alerts and admin notes, shown as a banner to
 * every staff member who handles the patient. Resolved ones stay (`resolved_at`/`resolved_by`).
 */
export const patientAlerts = sqliteTable(
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
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolvedBy: text('resolved_by'),
  },
  (t) => [index('patient_alerts_patient').on(t.patientId, t.createdAt)],
);
