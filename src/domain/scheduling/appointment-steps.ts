import { DateTime } from 'luxon';
import type { Db, DbCtx } from '../../db/client.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, fieldIssue, notFound, validationFailed } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService, ClinicSettings } from '../clinic/index.ts';
import { patientScope } from '../patients/index.ts';
import { notFoundFor } from './access-refusals.ts';
import type { AppointmentEvent } from './appointment-view.ts';
import { type Appointment, findAppointmentById } from './appointments.repo.ts';
import { loadAvailability } from './availability.ts';
import { type Booker, checkMayActFor, isPatient } from './booking-rules.ts';
import {
  findPractitionerProfile,
  hasPractitionerService,
  lockPractitionerProfile,
} from './practitioners.repo.ts';
import { APPOINTMENT_CHANGED, OFFER_FREED_TIME, SEND_REMINDER } from './scheduling.jobs.ts';
import { findServiceById, findServiceReminderHours, type Service } from './services.repo.ts';
import { onlineSlots } from './slot-search.ts';

/**
 * The steps every appointment use case shares: the practitioner's lock, the checks that read the
 * database, and the jobs a change enqueues. Each takes the caller's transaction (`ctx`), so the
 * lock, the checks, the write, its audit row and its jobs commit together or not at all.
 */

/** What the appointment use cases are built from. */
export interface AppointmentDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  queue: JobQueue;
  clinic: ClinicService;
  /** Steps of later areas run in a booking's transaction (`appointments.onBooked`: the service's forms). */
  bookedListeners?: BookedListener[];
  /** Steps of later areas run when a visit ends (`appointments.onStatusChanged`: billing's draft and fees). */
  statusListeners?: StatusListener[];
}

/**
 * A step another area adds to the end of a visit — completed, a no-show, or cancelled late by
 * the patient — run in that change's transaction, so what it writes commits with it or not at all.
 */
export type StatusListener = (
  ctx: DbCtx,
  appointment: Appointment,
  actor: Actor,
  event: 'completed' | 'no_show' | 'late_cancelled',
) => Promise<unknown>;

/** Runs the status listeners (in order) in the change's transaction. */
export async function runStatusListeners(
  ctx: DbCtx,
  deps: AppointmentDeps,
  appointment: Appointment,
  actor: Actor,
  event: 'completed' | 'no_show' | 'late_cancelled',
): Promise<void> {
  for (const listener of deps.statusListeners ?? []) await listener(ctx, appointment, actor, event);
}

/**
 * A step another area adds to every booking (and move), run in its transaction once the
 * appointment is placed (not for a visit entered after the fact): what it writes commits with
 * the booking or not at all. `event` says which: a move keeps what the booking made.
 */
export type BookedListener = (
  ctx: DbCtx,
  appointment: Appointment,
  actor: Actor,
  event: 'booked' | 'moved',
) => Promise<unknown>;

/** Runs the listeners (in order) in the booking's or move's transaction. */
export async function runBookedListeners(
  ctx: DbCtx,
  deps: AppointmentDeps,
  appointment: Appointment,
  actor: Actor,
  event: 'booked' | 'moved' = 'booked',
): Promise<void> {
  for (const listener of deps.bookedListeners ?? []) await listener(ctx, appointment, actor, event);
}

/**
 * Takes the practitioner's lock for the rest of the transaction. A double booking is impossible
 * because every change that puts an appointment on a practitioner's timeline calls this first,
 * then checks for overlap, then writes: SQLite has one writer, so the transaction itself is the
 * lock; PostgreSQL locks the practitioner's profile row `FOR UPDATE`, across processes.
 */
export async function lockPractitioner(ctx: DbCtx, practitionerId: string): Promise<void> {
  if (!(await lockPractitionerProfile(ctx, practitionerId))) throw notFound('that_practitioner');
}

/** The service, if it exists and is active. */
export async function loadActiveService(ctx: DbCtx, id: string): Promise<Service> {
  const service = await findServiceById(ctx, id);
  if (!service?.active) throw notFound('that_service');
  return service;
}

/** Refuses a practitioner who does not offer the service. */
export async function checkOffers(ctx: DbCtx, practitionerId: string, serviceId: string): Promise<void> {
  if (!(await hasPractitionerService(ctx, practitionerId, serviceId))) {
    throw validationFailed([fieldIssue('practitionerId', 'service_not_offered')]);
  }
}

/**
 * A patient's booking must be a slot online search offers: working hours, not closed, not
 * away, within notice and horizon, on the step grid. Checked under the lock.
 */
export async function checkOnlineSlot(
  ctx: DbCtx,
  deps: Pick<AppointmentDeps, 'clock'>,
  booking: { settings: ClinicSettings; service: Service; practitionerId: string; start: Date },
  ignoreAppointmentId?: string,
): Promise<void> {
  const { settings, service, practitionerId, start } = booking;
  const profile = await findPractitionerProfile(ctx, practitionerId);
  if (!settings.selfBooking || !service.onlineBookable || !profile?.bookableOnline) {
    throw new AppError('booking_closed', 'booking_closed', { status: 403 });
  }
  const date = DateTime.fromJSDate(start, { zone: settings.timeZone }).toISODate()!;
  const loaded = await loadAvailability(ctx, {
    practitionerIds: [practitionerId],
    timeZone: settings.timeZone,
    from: date,
    to: date,
    ...(ignoreAppointmentId ? { ignoreAppointmentId } : {}),
  });
  // Overlaps were checked just before (slot_taken); here only hours, notice, horizon, closures.
  const slots = onlineSlots(
    settings,
    service,
    { ...loaded, practitioners: loaded.practitioners.map((p) => ({ ...p, busy: [] })) },
    { from: date, to: date, now: deps.clock.now() },
  );
  if (!slots.some((s) => s.start.getTime() === start.getTime())) {
    throw new AppError('slot_unavailable', 'slot_unavailable', { status: 422 });
  }
}

/**
 * The appointment a booker means to change: a patient never learns whether an appointment
 * outside their family (as it stands at `now`) exists; staff must be allowed to act for its
 * practitioner.
 */
export async function loadForChange(ctx: DbCtx, booker: Booker, id: string, now: Date): Promise<Appointment> {
  const a = await findAppointmentById(ctx, id);
  if (!a || (isPatient(booker) && !(await patientScope(ctx, booker.actor.id, now)).has(a.patientId))) {
    throw notFoundFor(booker.actor, 'that_appointment', 'appointment', id);
  }
  checkMayActFor(booker, a.practitionerId);
  return a;
}

/** One message per change; for a series, one message that lists its appointments. */
export async function enqueueChange(
  ctx: DbCtx,
  deps: Pick<AppointmentDeps, 'queue'>,
  a: Appointment,
  event: AppointmentEvent,
  by: Actor,
  series = false,
): Promise<void> {
  await deps.queue.enqueue(
    ctx,
    APPOINTMENT_CHANGED,
    { appointmentId: a.id, event, version: a.version, byPatient: by.type === 'patient', series },
    { uniqueKey: `appointment:${a.id}:${a.version}`, maxAttempts: 8 },
  );
}

/**
 * Announces a new booking in its transaction: the patient's message (`series`: one listing the
 * series from this appointment), then the later areas' booked listeners.
 */
export async function announceBooking(
  ctx: DbCtx,
  deps: AppointmentDeps,
  a: Appointment,
  status: AppointmentEvent,
  by: Actor,
  series = false,
): Promise<void> {
  await enqueueChange(ctx, deps, a, status, by, series);
  await runBookedListeners(ctx, deps, a, by);
}

/*
 * Reminders are jobs run at start − N hours, with unique keys per appointment and offset, in the
 * same transaction as the change: a move cancels the queued ones and schedules new ones, a
 * cancellation cancels them. Offsets already past (a booking for this afternoon) are skipped.
 * The handler re-reads the appointment, so even a missed cancellation never reminds.
 */
const reminderPrefix = (a: Appointment) => `reminder:${a.id}:`;

/** Cancels every queued reminder of the appointment (whatever offsets were set then). */
export async function unscheduleReminders(
  ctx: DbCtx,
  deps: Pick<AppointmentDeps, 'queue'>,
  a: Appointment,
): Promise<void> {
  await deps.queue.cancelQueued(ctx, reminderPrefix(a));
}

/** Enqueues the booked appointment's reminders: the service's offsets, else the clinic's. */
export async function scheduleReminders(
  ctx: DbCtx,
  deps: Pick<AppointmentDeps, 'queue' | 'clock' | 'clinic'>,
  a: Appointment,
): Promise<void> {
  if (a.status !== 'booked') return;
  const reminderHours =
    (await findServiceReminderHours(ctx, a.serviceId)) ?? (await deps.clinic.get(ctx)).reminderHours;
  const now = deps.clock.now().getTime();
  for (const hours of new Set(reminderHours)) {
    const runAt = new Date(a.startAt.getTime() - hours * 3_600_000);
    if (runAt.getTime() <= now) continue;
    await deps.queue.enqueue(
      ctx,
      SEND_REMINDER,
      { appointmentId: a.id, hours, startAt: a.startAt.toISOString() },
      { runAt, uniqueKey: `${reminderPrefix(a)}${hours}`, maxAttempts: 6 },
    );
  }
}

/** Future time given back (cancelled or moved away) goes to the waitlist, after commit, by a job. */
export async function enqueueFreedTime(
  ctx: DbCtx,
  deps: Pick<AppointmentDeps, 'queue' | 'clock'>,
  a: Appointment,
): Promise<void> {
  if (a.startAt.getTime() <= deps.clock.now().getTime()) return;
  await deps.queue.enqueue(
    ctx,
    OFFER_FREED_TIME,
    { practitionerId: a.practitionerId, start: a.startAt.toISOString(), end: a.endAt.toISOString() },
    { uniqueKey: `freed:${a.practitionerId}:${a.startAt.getTime()}`, maxAttempts: 5 },
  );
}
