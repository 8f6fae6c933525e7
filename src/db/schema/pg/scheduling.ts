import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';

/** The scheduling area: services, practitioners and their hours, appointments, waitlist, feeds. */

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
  askReason: boolean('ask_reason').notNull().default(false),
  reminderHours: jsonb('reminder_hours').$type<number[]>(),
  /** The note template a note started from an appointment of this service begins with (a chart template id). */
  defaultNoteTemplateId: text('default_note_template_id'),
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
    visitReason: text('visit_reason'),
    bookedByType: text('booked_by_type', { enum: ['staff', 'patient'] }).notNull(),
    bookedById: text('booked_by_id'),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('appointments_practitioner_block').on(t.practitionerId, t.blockStartAt),
    // With the status: a patient's earlier visits (new or returning, in the reports) read from the index alone.
    index('appointments_patient_start').on(t.patientId, t.startAt, t.status),
    // A range of starts, covering what the reports count per week and practitioner (read from the index alone).
    index('appointments_start_covering').on(
      t.startAt,
      t.status,
      t.practitionerId,
      t.bookedByType,
      t.patientId,
      t.endAt,
      t.lateCancel,
    ),
    index('appointments_series').on(t.seriesId),
  ],
);

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
