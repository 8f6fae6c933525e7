import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The SQLite schema. `schema/pg.ts` exports the same tables with the same column names and row
 * types; `db/schema-parity.test.ts` keeps them equivalent. Times are UTC instants (Date).
 */

/** Clinic-wide settings as JSON values under stable keys (clinic profile, booking policy…). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * The durable job queue (jobs/). A job carries ids, not documents. `unique_key` is unique among
 * unfinished jobs only; the partial index `jobs_claim` serves the claim query in order.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'dead', 'cancelled'] }).notNull(),
    runAt: integer('run_at', { mode: 'timestamp_ms' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    uniqueKey: text('unique_key'),
    priority: integer('priority').notNull().default(0),
    requestId: text('request_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('jobs_unique_key_live').on(t.uniqueKey).where(sql`status in ('queued', 'running')`),
    index('jobs_claim').on(t.priority, t.runAt, t.id).where(sql`status = 'queued'`),
    index('jobs_lease').on(t.leaseUntil).where(sql`status = 'running'`),
    index('jobs_status_finished').on(t.status, t.finishedAt),
    index('jobs_name').on(t.name),
  ],
);

/** Recurring schedules: one row per stable id; `next_run_at` advances as each tick is enqueued. */
export const jobSchedules = sqliteTable('job_schedules', {
  id: text('id').primaryKey(),
  cron: text('cron').notNull(),
  timeZone: text('time_zone').notNull(),
  jobName: text('job_name').notNull(),
  nextRunAt: integer('next_run_at', { mode: 'timestamp_ms' }).notNull(),
  lastEnqueuedAt: integer('last_enqueued_at', { mode: 'timestamp_ms' }),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Append-only, hash-chained audit log (domain/audit). Triggers in the migration refuse UPDATE and
 * DELETE; `clinicbox audit verify` recomputes the chain and names the first broken row.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorType: text('actor_type', { enum: ['staff', 'patient', 'system'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    patientId: text('patient_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    details: text('details', { mode: 'json' }),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_patient').on(t.patientId, t.id),
    index('audit_log_actor').on(t.actorType, t.actorId, t.id),
    index('audit_log_at').on(t.at),
  ],
);

/** Staff members who sign in to /staff. Email is stored lower-cased. */
export const staffAccounts = sqliteTable('staff_accounts', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'practitioner', 'reception'] }).notNull(),
  status: text('status', { enum: ['active', 'deactivated'] }).notNull(),
  passwordHash: text('password_hash'),
  totpSecret: text('totp_secret'),
  totpLastStep: integer('totp_last_step'),
  /** The session that started a not-yet-confirmed TOTP set-up: only it sees the pending secret. */
  totpPendingSession: text('totp_pending_session'),
  mfaEnrolledAt: integer('mfa_enrolled_at', { mode: 'timestamp_ms' }),
  /** How this member hears of online bookings and cancellations in their calendar. */
  bookingAlerts: text('booking_alerts', { enum: ['email', 'none'] })
    .notNull()
    .default('email'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Signed-in staff sessions; the id is the SHA-256 of the cookie's token, never the token. */
export const staffSessions = sqliteTable(
  'staff_sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    mfaVerified: integer('mfa_verified', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('staff_sessions_account').on(t.accountId)],
);

/** One-time links (first-run setup, set password); the id is the SHA-256 of the link's token. */
export const staffTokens = sqliteTable('staff_tokens', {
  id: text('id').primaryKey(),
  purpose: text('purpose', { enum: ['setup', 'set-password'] }).notNull(),
  accountId: text('account_id').references(() => staffAccounts.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Second-factor recovery codes, stored hashed; each works once. */
export const staffRecoveryCodes = sqliteTable(
  'staff_recovery_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('staff_recovery_codes_account').on(t.accountId)],
);

/** Staff passkeys (WebAuthn credentials); the id is the credential id (base64url). */
export const staffPasskeys = sqliteTable(
  'staff_passkeys',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull(),
    transports: text('transports', { mode: 'json' }).$type<string[]>(),
    name: text('name').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('staff_passkeys_account').on(t.accountId)],
);

/** One-time WebAuthn challenges, kept on the server so an answer cannot be replayed. */
export const authChallenges = sqliteTable('auth_challenges', {
  challenge: text('challenge').primaryKey(),
  purpose: text('purpose', {
    enum: ['passkey-register', 'passkey-sign-in', 'patient-passkey-register', 'patient-passkey-sign-in'],
  }).notNull(),
  accountId: text('account_id'),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** What a clinic offers: duration and buffers drive slot search; flags drive online booking. */
export const services = sqliteTable('services', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  durationMin: integer('duration_min').notNull(),
  bufferBeforeMin: integer('buffer_before_min').notNull(),
  bufferAfterMin: integer('buffer_after_min').notNull(),
  onlineBookable: integer('online_bookable', { mode: 'boolean' }).notNull(),
  newPatientsAllowed: integer('new_patients_allowed', { mode: 'boolean' }).notNull(),
  requiresApproval: integer('requires_approval', { mode: 'boolean' }).notNull(),
  /** Reminder offsets in hours before the start for this service; null: the clinic's. */
  reminderHours: text('reminder_hours', { mode: 'json' }).$type<number[]>(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** A staff member's public face as a practitioner (staff with the practitioner role). */
export const practitionerProfiles = sqliteTable('practitioner_profiles', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => staffAccounts.id, { onDelete: 'cascade' }),
  displayName: text('display_name').notNull(),
  title: text('title').notNull(),
  bio: text('bio').notNull(),
  colour: text('colour').notNull(),
  bookableOnline: integer('bookable_online', { mode: 'boolean' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Which services each practitioner offers. */
export const practitionerServices = sqliteTable(
  'practitioner_services',
  {
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId, { onDelete: 'cascade' }),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.practitionerId, t.serviceId] }),
    index('practitioner_services_service').on(t.serviceId),
  ],
);

/** Weekly working hours: wall-clock intervals in the clinic's time zone, several a day for breaks. */
export const availabilityRules = sqliteTable(
  'availability_rules',
  {
    id: text('id').primaryKey(),
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId, { onDelete: 'cascade' }),
    weekday: integer('weekday').notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
  },
  (t) => [index('availability_rules_practitioner').on(t.practitionerId, t.weekday)],
);

/** Dated extra working hours, added to the weekly ones on that local date. */
export const availabilityExceptions = sqliteTable(
  'availability_exceptions',
  {
    id: text('id').primaryKey(),
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
  },
  (t) => [index('availability_exceptions_practitioner').on(t.practitionerId, t.date)],
);

/** A practitioner away (holiday, sick day, a blocked afternoon), as UTC instants. */
export const timeOff = sqliteTable(
  'time_off',
  {
    id: text('id').primaryKey(),
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId, { onDelete: 'cascade' }),
    startAt: integer('start_at', { mode: 'timestamp_ms' }).notNull(),
    endAt: integer('end_at', { mode: 'timestamp_ms' }).notNull(),
    reason: text('reason').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('time_off_practitioner').on(t.practitionerId, t.startAt)],
);

/** Whole-clinic closures (public holidays), by local date. */
export const clinicClosures = sqliteTable('clinic_closures', {
  date: text('date').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Rooms or locations an appointment takes place in; one may be the default. */
export const rooms = sqliteTable('rooms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

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
    /** The language messages and the patient app use (a BCP 47 tag such as fr), or the clinic's. */
    preferredLanguage: text('preferred_language'),
    /** Communication consents per channel (messages about appointments, reminders). */
    messagesByEmail: integer('messages_by_email', { mode: 'boolean' }).notNull().default(true),
    messagesBySms: integer('messages_by_sms', { mode: 'boolean' }).notNull().default(true),
    messagesByPush: integer('messages_by_push', { mode: 'boolean' }).notNull().default(true),
    /** SMS quiet hours: null = the clinic's, 'off' = none, 'HH:MM-HH:MM' (clinic time zone). */
    quietHours: text('quiet_hours'),
    status: text('status', { enum: ['active', 'archived'] }).notNull(),
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
 * Appointments. `block_*` is the time the practitioner is taken, buffers included; the booking
 * transaction checks it against every other non-cancelled appointment of the practitioner while
 * holding the practitioner's lock (SQLite: the one writer; PostgreSQL: the profile row FOR UPDATE),
 * so two bookings can never overlap.
 */
export const appointments = sqliteTable(
  'appointments',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    roomId: text('room_id').references(() => rooms.id),
    startAt: integer('start_at', { mode: 'timestamp_ms' }).notNull(),
    endAt: integer('end_at', { mode: 'timestamp_ms' }).notNull(),
    blockStartAt: integer('block_start_at', { mode: 'timestamp_ms' }).notNull(),
    blockEndAt: integer('block_end_at', { mode: 'timestamp_ms' }).notNull(),
    status: text('status', {
      enum: ['requested', 'booked', 'arrived', 'completed', 'cancelled', 'no_show'],
    }).notNull(),
    cancelledBy: text('cancelled_by', { enum: ['patient', 'clinic'] }),
    cancelReason: text('cancel_reason'),
    lateCancel: integer('late_cancel', { mode: 'boolean' }).notNull(),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    seriesId: text('series_id'),
    bookedByType: text('booked_by_type', { enum: ['staff', 'patient'] }).notNull(),
    bookedById: text('booked_by_id'),
    version: integer('version').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('appointments_practitioner_block').on(t.practitionerId, t.blockStartAt),
    index('appointments_patient_start').on(t.patientId, t.startAt),
    index('appointments_start').on(t.startAt),
    index('appointments_series').on(t.seriesId),
  ],
);

/**
 * Idempotency keys: a retried request (a double-tapped "Book") with the same key gets the first
 * response back instead of doing the work twice. Scoped by who sent it; pruned after a day.
 */
export const idempotencyKeys = sqliteTable('idempotency_keys', {
  key: text('key').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  status: integer('status').notNull(),
  body: text('body', { mode: 'json' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Secret calendar-feed links (iCalendar) per practitioner; only the token's SHA-256 is kept. */
export const calendarFeeds = sqliteTable(
  'calendar_feeds',
  {
    tokenHash: text('token_hash').primaryKey(),
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('calendar_feeds_practitioner').on(t.practitionerId)],
);

/**
 * The waitlist: a patient waiting for a service (with one practitioner, or any) between two local
 * dates. When time frees up, matching entries are offered it by email; the first to book wins.
 */
export const waitlistEntries = sqliteTable(
  'waitlist_entries',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    practitionerId: text('practitioner_id').references(() => practitionerProfiles.accountId),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    status: text('status', { enum: ['waiting', 'booked', 'removed'] }).notNull(),
    lastOfferedAt: integer('last_offered_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('waitlist_entries_service').on(t.serviceId, t.status),
    index('waitlist_entries_patient').on(t.patientId),
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

/** SMS segments sent per calendar month (UTC, "YYYY-MM"), for the monthly budget. */
export const smsUsage = sqliteTable('sms_usage', {
  month: text('month').primaryKey(),
  segments: integer('segments').notNull(),
});

/**
 * The delivery log: one row per outgoing email, SMS or push, written in the transaction that
 * enqueues its job and updated by the job. Never the body, a code or a link — only who, how,
 * what kind, and what happened.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    jobId: integer('job_id'),
    patientId: text('patient_id').references(() => patients.id),
    staffId: text('staff_id').references(() => staffAccounts.id),
    /** Whose consents and address it goes by: the patient, or a guardian of a dependant; null = an address given. */
    contactId: text('contact_id').references(() => patients.id),
    recipient: text('recipient').notNull(),
    channel: text('channel', { enum: ['email', 'sms', 'push'] }).notNull(),
    messageType: text('message_type').notNull(),
    language: text('language').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed', 'skipped'] }).notNull(),
    providerId: text('provider_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** An SMS's segments, once counted against the monthly budget (counted once, whatever the retries). */
    smsSegments: integer('sms_segments'),
    /** Makes a re-run of the job that dispatched it recognisable (one delivery per key). */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('deliveries_patient').on(t.patientId, t.createdAt),
    index('deliveries_status').on(t.status, t.createdAt),
    index('deliveries_created').on(t.createdAt),
    index('deliveries_job').on(t.jobId),
  ],
);

/** The clinic's own wording of a message, per type, channel and language (else the shipped default). */
export const messageTemplates = sqliteTable(
  'message_templates',
  {
    messageType: text('message_type').notNull(),
    channel: text('channel', { enum: ['email', 'sms', 'push'] }).notNull(),
    language: text('language').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageType, t.channel, t.language] })],
);

/** Web push subscriptions of patients' installed apps (one per browser endpoint). */
export const pushSubscriptions = sqliteTable(
  'push_subscriptions',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    endpoint: text('endpoint').notNull().unique(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastSuccessAt: integer('last_success_at', { mode: 'timestamp_ms' }),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [index('push_subscriptions_patient').on(t.patientId)],
);
