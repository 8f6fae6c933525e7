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
  purpose: text('purpose', { enum: ['passkey-register', 'passkey-sign-in'] }).notNull(),
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
