import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** The PostgreSQL schema: the same tables, columns and row types as `schema/sqlite.ts`. */

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const jobs = pgTable(
  'jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'dead', 'cancelled'] }).notNull(),
    runAt: timestamp('run_at', { withTimezone: true, mode: 'date' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    uniqueKey: text('unique_key'),
    priority: integer('priority').notNull().default(0),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('jobs_unique_key_live').on(t.uniqueKey).where(sql`status in ('queued', 'running')`),
    index('jobs_claim').on(t.priority, t.runAt, t.id).where(sql`status = 'queued'`),
    index('jobs_lease').on(t.leaseUntil).where(sql`status = 'running'`),
    index('jobs_status_finished').on(t.status, t.finishedAt),
    index('jobs_name').on(t.name),
  ],
);

export const jobSchedules = pgTable('job_schedules', {
  id: text('id').primaryKey(),
  cron: text('cron').notNull(),
  timeZone: text('time_zone').notNull(),
  jobName: text('job_name').notNull(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true, mode: 'date' }).notNull(),
  lastEnqueuedAt: timestamp('last_enqueued_at', { withTimezone: true, mode: 'date' }),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorType: text('actor_type', { enum: ['staff', 'patient', 'system'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    patientId: text('patient_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    details: jsonb('details'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_patient').on(t.patientId, t.id),
    index('audit_log_actor').on(t.actorType, t.actorId, t.id),
    index('audit_log_at').on(t.at),
  ],
);

export const staffAccounts = pgTable('staff_accounts', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'practitioner', 'reception'] }).notNull(),
  status: text('status', { enum: ['active', 'deactivated'] }).notNull(),
  passwordHash: text('password_hash'),
  totpSecret: text('totp_secret'),
  totpLastStep: integer('totp_last_step'),
  totpPendingSession: text('totp_pending_session'),
  mfaEnrolledAt: timestamp('mfa_enrolled_at', { withTimezone: true, mode: 'date' }),
  bookingAlerts: text('booking_alerts', { enum: ['email', 'none'] })
    .notNull()
    .default('email'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    mfaVerified: boolean('mfa_verified').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('staff_sessions_account').on(t.accountId)],
);

export const staffTokens = pgTable('staff_tokens', {
  id: text('id').primaryKey(),
  purpose: text('purpose', { enum: ['setup', 'set-password'] }).notNull(),
  accountId: text('account_id').references(() => staffAccounts.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const staffRecoveryCodes = pgTable(
  'staff_recovery_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('staff_recovery_codes_account').on(t.accountId)],
);

export const staffPasskeys = pgTable(
  'staff_passkeys',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull(),
    transports: jsonb('transports').$type<string[]>(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('staff_passkeys_account').on(t.accountId)],
);

export const authChallenges = pgTable('auth_challenges', {
  challenge: text('challenge').primaryKey(),
  purpose: text('purpose', {
    enum: ['passkey-register', 'passkey-sign-in', 'patient-passkey-register', 'patient-passkey-sign-in'],
  }).notNull(),
  accountId: text('account_id'),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const services = pgTable('services', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  durationMin: integer('duration_min').notNull(),
  bufferBeforeMin: integer('buffer_before_min').notNull(),
  bufferAfterMin: integer('buffer_after_min').notNull(),
  onlineBookable: boolean('online_bookable').notNull(),
  newPatientsAllowed: boolean('new_patients_allowed').notNull(),
  requiresApproval: boolean('requires_approval').notNull(),
  reminderHours: jsonb('reminder_hours').$type<number[]>(),
  active: boolean('active').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const practitionerProfiles = pgTable('practitioner_profiles', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => staffAccounts.id, { onDelete: 'cascade' }),
  displayName: text('display_name').notNull(),
  title: text('title').notNull(),
  bio: text('bio').notNull(),
  colour: text('colour').notNull(),
  bookableOnline: boolean('bookable_online').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const practitionerServices = pgTable(
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

export const availabilityRules = pgTable(
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
export const availabilityExceptions = pgTable(
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
export const timeOff = pgTable(
  'time_off',
  {
    id: text('id').primaryKey(),
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId, { onDelete: 'cascade' }),
    startAt: timestamp('start_at', { withTimezone: true, mode: 'date' }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true, mode: 'date' }).notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('time_off_practitioner').on(t.practitionerId, t.startAt)],
);

/** Whole-clinic closures (public holidays), by local date. */
export const clinicClosures = pgTable('clinic_closures', {
  date: text('date').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Rooms or locations an appointment takes place in; one may be the default. */
export const rooms = pgTable('rooms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  isDefault: boolean('is_default').notNull(),
  active: boolean('active').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

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
    /** The language messages and the patient app use (a BCP 47 tag such as fr), or the clinic's. */
    preferredLanguage: text('preferred_language'),
    /** Communication consents per channel (messages about appointments, reminders). */
    messagesByEmail: boolean('messages_by_email').notNull().default(true),
    messagesBySms: boolean('messages_by_sms').notNull().default(true),
    messagesByPush: boolean('messages_by_push').notNull().default(true),
    quietHours: text('quiet_hours'),
    status: text('status', { enum: ['active', 'archived'] }).notNull(),
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
 * Appointments. `block_*` is the time the practitioner is taken, buffers included; the booking
 * transaction checks it against every other non-cancelled appointment of the practitioner while
 * holding the practitioner's lock (SQLite: the one writer; PostgreSQL: the profile row FOR UPDATE),
 * so two bookings can never overlap.
 */
export const appointments = pgTable(
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
    startAt: timestamp('start_at', { withTimezone: true, mode: 'date' }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true, mode: 'date' }).notNull(),
    blockStartAt: timestamp('block_start_at', { withTimezone: true, mode: 'date' }).notNull(),
    blockEndAt: timestamp('block_end_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', {
      enum: ['requested', 'booked', 'arrived', 'completed', 'cancelled', 'no_show'],
    }).notNull(),
    cancelledBy: text('cancelled_by', { enum: ['patient', 'clinic'] }),
    cancelReason: text('cancel_reason'),
    lateCancel: boolean('late_cancel').notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    seriesId: text('series_id'),
    bookedByType: text('booked_by_type', { enum: ['staff', 'patient'] }).notNull(),
    bookedById: text('booked_by_id'),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
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
export const idempotencyKeys = pgTable('idempotency_keys', {
  key: text('key').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  status: integer('status').notNull(),
  body: jsonb('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Secret calendar-feed links (iCalendar) per practitioner; only the token's SHA-256 is kept. */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    tokenHash: text('token_hash').primaryKey(),
    practitionerId: text('practitioner_id')
      .notNull()
      .references(() => practitionerProfiles.accountId, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('calendar_feeds_practitioner').on(t.practitionerId)],
);

/**
 * The waitlist: a patient waiting for a service (with one practitioner, or any) between two local
 * dates. When time frees up, matching entries are offered it by email; the first to book wins.
 */
export const waitlistEntries = pgTable(
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
    lastOfferedAt: timestamp('last_offered_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
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

/** SMS segments sent per calendar month (UTC, "YYYY-MM"), for the monthly budget. */
export const smsUsage = pgTable('sms_usage', {
  month: text('month').primaryKey(),
  segments: integer('segments').notNull(),
});

export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    jobId: bigint('job_id', { mode: 'number' }),
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
    dedupeKey: text('dedupe_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('deliveries_patient').on(t.patientId, t.createdAt),
    index('deliveries_status').on(t.status, t.createdAt),
    index('deliveries_created').on(t.createdAt),
    index('deliveries_job').on(t.jobId),
  ],
);

export const messageTemplates = pgTable(
  'message_templates',
  {
    messageType: text('message_type').notNull(),
    channel: text('channel', { enum: ['email', 'sms', 'push'] }).notNull(),
    language: text('language').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageType, t.channel, t.language] })],
);

export const pushSubscriptions = pgTable(
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
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [index('push_subscriptions_patient').on(t.patientId)],
);
