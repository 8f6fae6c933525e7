import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { staffAccounts } from './accounts.ts';
import { patients } from './patients.ts';

/** The scheduling area: services, practitioners and their hours, appointments, waitlist, feeds. */

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
  /** Booking asks for a reason for the visit (optional to give). */
  askReason: integer('ask_reason', { mode: 'boolean' }).notNull().default(false),
  /** Reminder offsets in hours before the start for this service; null: the clinic's. */
  reminderHours: text('reminder_hours', { mode: 'json' }).$type<number[]>(),
  /** The note template a note started from an appointment of this service begins with (a chart template id). */
  defaultNoteTemplateId: text('default_note_template_id'),
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
    /** The reason for the visit given at booking (health data: never in a message). */
    visitReason: text('visit_reason'),
    bookedByType: text('booked_by_type', { enum: ['staff', 'patient'] }).notNull(),
    bookedById: text('booked_by_id'),
    version: integer('version').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
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
