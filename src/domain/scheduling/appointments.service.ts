import { and, asc, desc, eq, gt, gte, inArray, lt, ne, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db, DbCtx } from '../../db/client.ts';
import { remembered } from '../../db/idempotency.ts';
import { lockRow } from '../../db/locks.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, conflict, forbidden, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { can, type StaffRole } from '../accounts/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService, ClinicSettings } from '../clinic/index.ts';
import { patientScope } from '../patients/index.ts';
import {
  type AppointmentStatus,
  type BookingInput,
  bookingInput,
  type CancelInput,
  cancelInput,
  MAX_SERIES,
  type MoveInput,
  moveInput,
  type SeriesInput,
  seriesInput,
  transitions,
} from './appointments.schema.ts';
import { loadAvailability, MAX_BLOCK_MS, overlapsBooked } from './availability.ts';
import { APPOINTMENT_CHANGED, OFFER_FREED_TIME, SEND_REMINDER } from './scheduling.jobs.ts';
import { onlineSlots } from './slot-search.ts';

export type Appointment = typeof import('../../db/schema/sqlite.ts').appointments.$inferSelect;
type Service = typeof import('../../db/schema/sqlite.ts').services.$inferSelect;

export interface CalendarEntry {
  appointment: Appointment;
  patient: { firstName: string; lastName: string };
  service: { name: string };
}

/** Who is acting: a patient (for themselves) or a staff member with a role. */
export type Booker = { actor: Actor & { type: 'patient'; id: string } } | { actor: Actor; role: StaffRole };

/** The appointment as the API shows it. */
export interface AppointmentView {
  id: string;
  patientId: string;
  practitionerId: string;
  serviceId: string;
  roomId: string | null;
  start: string;
  end: string;
  status: AppointmentStatus;
  cancelledBy: 'patient' | 'clinic' | null;
  lateCancel: boolean;
  seriesId: string | null;
  version: number;
}

export const appointmentView = (a: Appointment): AppointmentView => ({
  id: a.id,
  patientId: a.patientId,
  practitionerId: a.practitionerId,
  serviceId: a.serviceId,
  roomId: a.roomId,
  start: a.startAt.toISOString(),
  end: a.endAt.toISOString(),
  status: a.status,
  cancelledBy: a.cancelledBy,
  lateCancel: a.lateCancel,
  seriesId: a.seriesId,
  version: a.version,
});

export type AppointmentEvent = 'booked' | 'requested' | 'moved' | 'cancelled' | 'approved';

export interface SeriesResult {
  seriesId: string;
  created: AppointmentView[];
  /** Occurrences not booked, and why (each reported, none silently dropped). */
  conflicts: { start: string; code: string; message: string }[];
}

const slotTaken = () => conflict('That time was just taken. Please choose another.', 'slot_taken');
const isPatient = (b: Booker): b is { actor: Actor & { type: 'patient'; id: string } } =>
  b.actor.type === 'patient';

/**
 * Booking, moving, cancelling and the appointment lifecycle.
 *
 * A double booking is impossible by construction: every change that puts an appointment on a
 * practitioner's timeline first takes that practitioner's lock inside the transaction — SQLite
 * has one writer, so the transaction itself is the lock; PostgreSQL locks the practitioner's
 * profile row `FOR UPDATE`, which holds across processes — and only then checks for overlap and
 * writes. Two requests for one slot therefore run one after the other; the second sees the first.
 * Each change is audited and enqueues its notification job in the same transaction.
 */
export function appointmentsService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  queue: JobQueue;
  clinic: ClinicService;
}) {
  const { db, clock, audit, queue, clinic } = deps;
  const t = db.reader.t;

  async function lockPractitioner(ctx: DbCtx, practitionerId: string): Promise<void> {
    const p = ctx.t.practitionerProfiles;
    if (!(await lockRow(ctx, p, p.accountId, practitionerId))) throw notFound('That practitioner');
  }

  async function loadService(ctx: DbCtx, id: string): Promise<Service> {
    const [service] = await ctx.db.select().from(ctx.t.services).where(eq(ctx.t.services.id, id));
    if (!service?.active) throw notFound('That service');
    return service;
  }

  async function offers(ctx: DbCtx, practitionerId: string, serviceId: string): Promise<boolean> {
    const ps = ctx.t.practitionerServices;
    const rows = await ctx.db
      .select({ id: ps.serviceId })
      .from(ps)
      .where(and(eq(ps.practitionerId, practitionerId), eq(ps.serviceId, serviceId)));
    return rows.length > 0;
  }

  /** Staff may book for practitioners their role allows; patients only through online booking rules. */
  function mayActFor(booker: Booker, practitionerId: string) {
    if (isPatient(booker)) return;
    const role = (booker as { role: StaffRole }).role;
    if (can(role, 'appointments.book-any')) return;
    if (can(role, 'appointments.book-own') && booker.actor.id === practitionerId) return;
    throw forbidden('You may book only into your own calendar.');
  }

  /**
   * A patient's booking must be a slot online search offers: working hours, not closed, not
   * away, within notice and horizon, on the step grid. Checked under the lock.
   */
  async function checkOnlineSlot(
    ctx: DbCtx,
    settings: ClinicSettings,
    service: Service,
    practitionerId: string,
    start: Date,
    ignoreAppointmentId?: string,
  ): Promise<void> {
    const profile = await ctx.db
      .select({ online: ctx.t.practitionerProfiles.bookableOnline })
      .from(ctx.t.practitionerProfiles)
      .where(eq(ctx.t.practitionerProfiles.accountId, practitionerId));
    if (!settings.selfBooking || !service.onlineBookable || !profile[0]?.online) {
      throw new AppError('booking_closed', 'This cannot be booked online. Please call the clinic.', {
        status: 403,
      });
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
      { from: date, to: date, now: clock.now() },
    );
    if (!slots.some((s) => s.start.getTime() === start.getTime())) {
      throw new AppError(
        'slot_unavailable',
        'That time cannot be booked. Please choose one of the offered times.',
        {
          status: 422,
        },
      );
    }
  }

  const blockOf = (service: Service, start: Date) => ({
    start: new Date(start.getTime() - service.bufferBeforeMin * 60_000),
    end: new Date(start.getTime() + (service.durationMin + service.bufferAfterMin) * 60_000),
  });

  /** One message per change; for a series, one message that lists its appointments. */
  async function notify(ctx: DbCtx, a: Appointment, event: AppointmentEvent, by: Actor, series = false) {
    await queue.enqueue(
      ctx,
      APPOINTMENT_CHANGED,
      { appointmentId: a.id, event, version: a.version, byPatient: by.type === 'patient', series },
      { uniqueKey: `appointment:${a.id}:${a.version}`, maxAttempts: 8 },
    );
  }

  /**
   * Reminders are jobs run at start − N hours, with unique keys per appointment and offset, in the
   * same transaction as the change: a move cancels the queued ones and schedules new ones, a
   * cancellation cancels them. Offsets already past (a booking for this afternoon) are skipped.
   * The handler re-reads the appointment, so even a missed cancellation never reminds.
   */
  const reminderPrefix = (a: Appointment) => `reminder:${a.id}:`;
  /** Cancels every queued reminder of the appointment (whatever offsets were set then). */
  const unscheduleReminders = (ctx: DbCtx, a: Appointment) => queue.cancelQueued(ctx, reminderPrefix(a));
  async function scheduleReminders(ctx: DbCtx, a: Appointment) {
    if (a.status !== 'booked') return;
    // The service's own offsets, else the clinic's.
    const [service] = await ctx.db
      .select({ hours: ctx.t.services.reminderHours })
      .from(ctx.t.services)
      .where(eq(ctx.t.services.id, a.serviceId));
    const reminderHours = service?.hours ?? (await clinic.get(ctx)).reminderHours;
    const now = clock.now().getTime();
    for (const hours of new Set(reminderHours)) {
      const runAt = new Date(a.startAt.getTime() - hours * 3_600_000);
      if (runAt.getTime() <= now) continue;
      await queue.enqueue(
        ctx,
        SEND_REMINDER,
        { appointmentId: a.id, hours, startAt: a.startAt.toISOString() },
        { runAt, uniqueKey: `${reminderPrefix(a)}${hours}`, maxAttempts: 6 },
      );
    }
  }

  /** Future time given back (cancelled or moved away) goes to the waitlist, after commit, by a job. */
  async function freed(ctx: DbCtx, a: Appointment) {
    if (a.startAt.getTime() <= clock.now().getTime()) return;
    await queue.enqueue(
      ctx,
      OFFER_FREED_TIME,
      { practitionerId: a.practitionerId, start: a.startAt.toISOString(), end: a.endAt.toISOString() },
      { uniqueKey: `freed:${a.practitionerId}:${a.startAt.getTime()}`, maxAttempts: 5 },
    );
  }

  /** The room a booking that names none takes place in (none when the clinic has no rooms). */
  async function defaultRoomId(ctx: DbCtx): Promise<string | null> {
    const [room] = await ctx.db
      .select({ id: ctx.t.rooms.id })
      .from(ctx.t.rooms)
      .where(and(eq(ctx.t.rooms.isDefault, true), eq(ctx.t.rooms.active, true)));
    return room?.id ?? null;
  }

  /** A patient on the waitlist for this service who books it is no longer waiting. */
  async function leaveWaitlist(ctx: DbCtx, patientId: string, serviceId: string) {
    const w = ctx.t.waitlistEntries;
    await ctx.db
      .update(w)
      .set({ status: 'booked', updatedAt: clock.now() })
      .where(and(eq(w.patientId, patientId), eq(w.serviceId, serviceId), eq(w.status, 'waiting')));
  }

  async function loadForChange(ctx: DbCtx, booker: Booker, id: string): Promise<Appointment> {
    const [a] = await ctx.db.select().from(ctx.t.appointments).where(eq(ctx.t.appointments.id, id));
    // A patient never learns whether someone else's appointment exists.
    // A patient never learns whether an appointment outside their family exists.
    if (!a || (isPatient(booker) && !(await patientScope(ctx, booker.actor.id)).has(a.patientId))) {
      throw notFound('That appointment');
    }
    mayActFor(booker, a.practitionerId);
    return a;
  }

  const checkVersion = (a: Appointment, version: number | undefined) => {
    if (version !== undefined && version !== a.version) {
      throw conflict(
        'This appointment was changed meanwhile (another tab or person). Reload and try again.',
        'stale',
      );
    }
  };

  /** Patients may change their own appointment only until the clinic's cancellation window. */
  const beforeWindow = (settings: ClinicSettings, a: Appointment) =>
    a.startAt.getTime() - clock.now().getTime() >= settings.cancellationWindowHours * 3_600_000;

  return {
    /** Books one appointment. With `idempotencyKey`, a repeat returns the first result. */
    async book(
      booker: Booker,
      input: BookingInput,
      options: { idempotencyKey?: string | null; seriesId?: string } = {},
    ): Promise<{ appointment: AppointmentView; replayed: boolean }> {
      const data = validated(bookingInput, input);
      // A patient books for themselves, or names one of their dependants.
      const patientId = isPatient(booker) ? (data.patientId ?? booker.actor.id) : data.patientId;
      if (!patientId) throw validationFailed([{ path: 'patientId', message: 'Choose a patient.' }]);
      mayActFor(booker, data.practitionerId);
      const start = new Date(data.start);
      const settings = await clinic.get();
      const key = options.idempotencyKey
        ? `${booker.actor.type}:${booker.actor.id ?? '-'}:book:${options.idempotencyKey}`
        : null;
      const fingerprint = JSON.stringify([
        patientId,
        data.serviceId,
        data.practitionerId,
        start.getTime(),
        data.roomId ?? null,
      ]);

      const result = await db.tx(async (ctx) => {
        await lockPractitioner(ctx, data.practitionerId);
        return remembered(ctx, key, fingerprint, clock.now(), async () => {
          const service = await loadService(ctx, data.serviceId);
          if (!(await offers(ctx, data.practitionerId, service.id))) {
            throw validationFailed([
              { path: 'practitionerId', message: 'This practitioner does not offer that service.' },
            ]);
          }
          const [patient] = await ctx.db
            .select({ id: ctx.t.patients.id, status: ctx.t.patients.status })
            .from(ctx.t.patients)
            .where(eq(ctx.t.patients.id, patientId));
          if (patient?.status !== 'active') throw notFound('That patient');
          if (isPatient(booker) && !(await patientScope(ctx, booker.actor.id)).has(patientId)) {
            throw notFound('That patient');
          }
          if (data.roomId) {
            const [room] = await ctx.db.select().from(ctx.t.rooms).where(eq(ctx.t.rooms.id, data.roomId));
            if (!room?.active) throw validationFailed([{ path: 'roomId', message: 'Choose an open room.' }]);
          }
          const block = blockOf(service, start);
          if (await overlapsBooked(ctx, data.practitionerId, block)) throw slotTaken();
          if (isPatient(booker)) await checkOnlineSlot(ctx, settings, service, data.practitionerId, start);
          const now = clock.now();
          const status: AppointmentStatus =
            isPatient(booker) && service.requiresApproval ? 'requested' : 'booked';
          const [row] = await ctx.db
            .insert(ctx.t.appointments)
            .values({
              id: newId(),
              patientId,
              practitionerId: data.practitionerId,
              serviceId: service.id,
              roomId: data.roomId ?? (await defaultRoomId(ctx)),
              startAt: start,
              endAt: new Date(start.getTime() + service.durationMin * 60_000),
              blockStartAt: block.start,
              blockEndAt: block.end,
              status,
              lateCancel: false,
              seriesId: options.seriesId ?? null,
              bookedByType: booker.actor.type === 'patient' ? 'patient' : 'staff',
              bookedById: booker.actor.id,
              version: 1,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          await audit.record(ctx, booker.actor, {
            action: 'appointment.book',
            entity: 'appointment',
            entityId: row!.id,
            patientId,
            details: { status },
          });
          await notify(ctx, row!, status === 'requested' ? 'requested' : 'booked', booker.actor);
          await leaveWaitlist(ctx, patientId, service.id);
          await scheduleReminders(ctx, row!);
          return { status: 201, body: appointmentView(row!) };
        });
      });
      return { appointment: result.body, replayed: result.replayed };
    },

    /**
     * Books a weekly series in one transaction: each occurrence at the same wall-clock time
     * (DST-correct), checked like a single booking; occurrences that clash are reported, the
     * others booked. Staff only.
     */
    async bookSeries(booker: Booker, input: SeriesInput): Promise<SeriesResult> {
      if (isPatient(booker)) throw forbidden('Recurring appointments are booked by the clinic.');
      const data = validated(seriesInput, input);
      mayActFor(booker, data.practitionerId);
      const settings = await clinic.get();
      const first = DateTime.fromISO(data.start, { zone: settings.timeZone });
      const starts: Date[] = [];
      for (let i = 0; i < MAX_SERIES; i++) {
        const at = first.plus({ weeks: i * data.everyWeeks });
        if (data.count !== undefined && i >= data.count) break;
        if (data.until !== undefined && at.toISODate()! > data.until) break;
        starts.push(at.toJSDate());
      }
      const seriesId = newId();
      return db.tx(async (ctx) => {
        await lockPractitioner(ctx, data.practitionerId);
        const service = await loadService(ctx, data.serviceId);
        if (!(await offers(ctx, data.practitionerId, service.id))) {
          throw validationFailed([
            { path: 'practitionerId', message: 'This practitioner does not offer that service.' },
          ]);
        }
        const [patient] = await ctx.db
          .select({ status: ctx.t.patients.status })
          .from(ctx.t.patients)
          .where(eq(ctx.t.patients.id, data.patientId));
        if (patient?.status !== 'active') throw notFound('That patient');
        const created: Appointment[] = [];
        const conflicts: SeriesResult['conflicts'] = [];
        const now = clock.now();
        for (const start of starts) {
          const block = blockOf(service, start);
          if (await overlapsBooked(ctx, data.practitionerId, block)) {
            conflicts.push({
              start: start.toISOString(),
              code: 'slot_taken',
              message: 'Already booked at that time.',
            });
            continue;
          }
          const [row] = await ctx.db
            .insert(ctx.t.appointments)
            .values({
              id: newId(),
              patientId: data.patientId,
              practitionerId: data.practitionerId,
              serviceId: service.id,
              roomId: data.roomId ?? (await defaultRoomId(ctx)),
              startAt: start,
              endAt: new Date(start.getTime() + service.durationMin * 60_000),
              blockStartAt: block.start,
              blockEndAt: block.end,
              status: 'booked',
              lateCancel: false,
              seriesId,
              bookedByType: 'staff',
              bookedById: booker.actor.id,
              version: 1,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          created.push(row!);
          await scheduleReminders(ctx, row!);
          await audit.record(ctx, booker.actor, {
            action: 'appointment.book',
            entity: 'appointment',
            entityId: row!.id,
            patientId: data.patientId,
            details: { status: 'booked', series: true },
          });
        }
        if (created.length) await notify(ctx, created[0]!, 'booked', booker.actor, true);
        return { seriesId, created: created.map(appointmentView), conflicts };
      });
    },

    /** Moves to a new start (and optionally another practitioner), with the same guarantees. */
    async move(booker: Booker, id: string, input: MoveInput): Promise<AppointmentView> {
      const data = validated(moveInput, input);
      const start = new Date(data.start);
      const settings = await clinic.get();
      return db.tx(async (ctx) => {
        const current = await loadForChange(ctx, booker, id);
        const practitionerId = data.practitionerId ?? current.practitionerId;
        mayActFor(booker, practitionerId);
        await lockPractitioner(ctx, practitionerId);
        // Re-read under the lock: a concurrent move of the same appointment is now visible.
        const a = await loadForChange(ctx, booker, id);
        checkVersion(a, data.version);
        if (a.status !== 'booked' && a.status !== 'requested') {
          throw conflict(`A ${a.status.replace('_', '-')} appointment cannot be moved.`, 'invalid_status');
        }
        if (isPatient(booker) && !beforeWindow(settings, a)) {
          throw conflict(
            'It is too late to change this appointment online. Please call the clinic.',
            'too_late',
          );
        }
        const service = await loadService(ctx, a.serviceId);
        if (practitionerId !== a.practitionerId && !(await offers(ctx, practitionerId, service.id))) {
          throw validationFailed([
            { path: 'practitionerId', message: 'This practitioner does not offer that service.' },
          ]);
        }
        const block = blockOf(service, start);
        if (await overlapsBooked(ctx, practitionerId, block, a.id)) throw slotTaken();
        if (isPatient(booker)) await checkOnlineSlot(ctx, settings, service, practitionerId, start, a.id);
        const [row] = await ctx.db
          .update(ctx.t.appointments)
          .set({
            practitionerId,
            startAt: start,
            endAt: new Date(start.getTime() + service.durationMin * 60_000),
            blockStartAt: block.start,
            blockEndAt: block.end,
            version: a.version + 1,
            updatedAt: clock.now(),
          })
          .where(and(eq(ctx.t.appointments.id, a.id), eq(ctx.t.appointments.version, a.version)))
          .returning();
        if (!row) throw conflict('This appointment was changed meanwhile. Reload and try again.', 'stale');
        await audit.record(ctx, booker.actor, {
          action: 'appointment.move',
          entity: 'appointment',
          entityId: a.id,
          patientId: a.patientId,
          details: { from: a.startAt.toISOString(), to: start.toISOString() },
        });
        await notify(ctx, row, 'moved', booker.actor);
        await freed(ctx, a);
        await unscheduleReminders(ctx, row);
        await scheduleReminders(ctx, row);
        return appointmentView(row);
      });
    },

    /** Cancels; a patient's own cancellation must come before the window, a late one by staff is flagged. */
    async cancel(booker: Booker, id: string, input: CancelInput): Promise<AppointmentView> {
      const data = validated(cancelInput, input);
      const settings = await clinic.get();
      return db.tx(async (ctx) => {
        const a = await loadForChange(ctx, booker, id);
        checkVersion(a, data.version);
        if (a.status !== 'booked' && a.status !== 'requested') {
          throw conflict(
            `A ${a.status.replace('_', '-')} appointment cannot be cancelled.`,
            'invalid_status',
          );
        }
        const by = isPatient(booker) ? 'patient' : data.by;
        if (isPatient(booker) && !beforeWindow(settings, a)) {
          throw conflict('It is too late to cancel online. Please call the clinic.', 'too_late');
        }
        // "This and all following" takes the later open appointments of the same series along.
        const later =
          data.scope === 'following' && a.seriesId
            ? await ctx.db
                .select()
                .from(ctx.t.appointments)
                .where(
                  and(
                    eq(ctx.t.appointments.seriesId, a.seriesId),
                    gt(ctx.t.appointments.startAt, a.startAt),
                    inArray(ctx.t.appointments.status, ['booked', 'requested']),
                  ),
                )
            : [];
        const now = clock.now();
        let first: Appointment | undefined;
        for (const one of [a, ...later]) {
          const late = !beforeWindow(settings, one);
          const [row] = await ctx.db
            .update(ctx.t.appointments)
            .set({
              status: 'cancelled',
              cancelledBy: by,
              cancelReason: data.reason || null,
              lateCancel: by === 'patient' && late,
              cancelledAt: now,
              version: one.version + 1,
              updatedAt: now,
            })
            .where(and(eq(ctx.t.appointments.id, one.id), eq(ctx.t.appointments.version, one.version)))
            .returning();
          if (!row) throw conflict('This appointment was changed meanwhile. Reload and try again.', 'stale');
          first ??= row;
          await freed(ctx, one);
          await unscheduleReminders(ctx, row);
          await audit.record(ctx, booker.actor, {
            action: 'appointment.cancel',
            entity: 'appointment',
            entityId: one.id,
            patientId: one.patientId,
            details: { by, late: row.lateCancel, ...(later.length ? { series: true } : {}) },
          });
        }
        await notify(ctx, first!, 'cancelled', booker.actor, later.length > 0);
        return appointmentView(first!);
      });
    },

    /** Staff lifecycle steps: approve a request, arrived, completed, no-show (and their undo). */
    async setStatus(
      booker: Booker & { role: StaffRole },
      id: string,
      to: AppointmentStatus,
      version?: number,
    ): Promise<AppointmentView> {
      return db.tx(async (ctx) => {
        const a = await loadForChange(ctx, booker, id);
        checkVersion(a, version);
        if (!transitions[a.status].includes(to)) {
          throw conflict(
            `A ${a.status.replace('_', '-')} appointment cannot become ${to.replace('_', '-')}.`,
            'invalid_status',
          );
        }
        const [row] = await ctx.db
          .update(ctx.t.appointments)
          .set({ status: to, version: a.version + 1, updatedAt: clock.now() })
          .where(and(eq(ctx.t.appointments.id, a.id), eq(ctx.t.appointments.version, a.version)))
          .returning();
        if (!row) throw conflict('This appointment was changed meanwhile. Reload and try again.', 'stale');
        await audit.record(ctx, booker.actor, {
          action: `appointment.${to.replace('_', '-')}`,
          entity: 'appointment',
          entityId: a.id,
          patientId: a.patientId,
          details: { from: a.status },
        });
        if (a.status === 'requested' && to === 'booked') await notify(ctx, row, 'approved', booker.actor);
        // Booked again (approved, or a no-show undone): reminders as for a new booking; otherwise none are due.
        await unscheduleReminders(ctx, row);
        await scheduleReminders(ctx, row);
        return appointmentView(row);
      });
    },

    /** One appointment, for its patient or for staff; the read is audited. */
    async get(booker: Booker, id: string): Promise<Appointment> {
      const [a] = await db.reader.db.select().from(t.appointments).where(eq(t.appointments.id, id));
      if (!a || (isPatient(booker) && !(await patientScope(db.reader, booker.actor.id)).has(a.patientId))) {
        throw notFound('That appointment');
      }
      await audit.recordRead(booker.actor, {
        action: 'appointment.read',
        entity: 'appointment',
        entityId: id,
        patientId: a.patientId,
      });
      return a;
    },

    /** A patient's own appointments (newest first), with service and practitioner names; audited. */
    async listForPatient(booker: Booker) {
      if (!isPatient(booker)) throw forbidden();
      const a = t.appointments;
      const rows = await db.reader.db
        .select({
          appointment: a,
          service: { name: t.services.name },
          practitioner: { displayName: t.practitionerProfiles.displayName },
        })
        .from(a)
        .innerJoin(t.services, eq(t.services.id, a.serviceId))
        .innerJoin(t.practitionerProfiles, eq(t.practitionerProfiles.accountId, a.practitionerId))
        .where(inArray(a.patientId, [...(await patientScope(db.reader, booker.actor.id))]))
        .orderBy(desc(a.startAt))
        .limit(200);
      await audit.recordRead(booker.actor, {
        action: 'appointment.list',
        entity: 'appointment',
        patientId: booker.actor.id,
        details: { count: rows.length },
      });
      return rows.map((r) => ({
        ...appointmentView(r.appointment),
        service: r.service.name,
        practitioner: r.practitioner.displayName,
      }));
    },

    /** The open (or, with `cancelledFrom`, the cancelled-from-then-on) appointments of a series. */
    async seriesAppointments(
      seriesId: string,
      options: { cancelledFrom?: Date } = {},
    ): Promise<Appointment[]> {
      const a = t.appointments;
      return db.reader.db
        .select()
        .from(a)
        .where(
          and(
            eq(a.seriesId, seriesId),
            options.cancelledFrom
              ? and(eq(a.status, 'cancelled'), gte(a.startAt, options.cancelledFrom))
              : inArray(a.status, ['booked', 'requested']),
          ),
        )
        .orderBy(asc(a.startAt));
    },

    /** A patient's first name for a message (read by the system, like forNotification). */
    async patientForNotification(id: string) {
      const [row] = await db.reader.db
        .select({ firstName: t.patients.firstName })
        .from(t.patients)
        .where(eq(t.patients.id, id));
      return row ?? null;
    },

    /** What a notification needs, read by the system (the message it sends is the record). */
    async forNotification(id: string) {
      const [row] = await db.reader.db
        .select({
          appointment: t.appointments,
          patient: {
            firstName: t.patients.firstName,
            email: t.patients.email,
            messagesByEmail: t.patients.messagesByEmail,
          },
          service: { name: t.services.name },
          practitioner: { displayName: t.practitionerProfiles.displayName, email: t.staffAccounts.email },
        })
        .from(t.appointments)
        .innerJoin(t.patients, eq(t.patients.id, t.appointments.patientId))
        .innerJoin(t.services, eq(t.services.id, t.appointments.serviceId))
        .innerJoin(
          t.practitionerProfiles,
          eq(t.practitionerProfiles.accountId, t.appointments.practitionerId),
        )
        .innerJoin(t.staffAccounts, eq(t.staffAccounts.id, t.appointments.practitionerId))
        .where(eq(t.appointments.id, id));
      return row ?? null;
    },

    /** Staff calendar: appointments overlapping [from, to) with patient and service names; audited as one read. */
    async listRange(
      actor: Actor,
      range: { from: Date; to: Date; practitionerIds?: string[]; includeCancelled?: boolean },
    ): Promise<CalendarEntry[]> {
      const a = t.appointments;
      const rows = await calendarEntries(
        and(
          range.practitionerIds ? inArray(a.practitionerId, range.practitionerIds) : undefined,
          gt(a.startAt, new Date(range.from.getTime() - MAX_BLOCK_MS)),
          lt(a.startAt, range.to),
          gt(a.endAt, range.from),
          range.includeCancelled ? undefined : ne(a.status, 'cancelled'),
        ),
      );
      await audit.recordRead(actor, {
        action: 'appointment.list',
        entity: 'appointment',
        details: { from: range.from.toISOString(), to: range.to.toISOString(), count: rows.length },
      });
      return rows;
    },

    /**
     * Requests awaiting approval that have not started yet, soonest first, with patient and
     * service names (the staff inbox); audited as one read.
     */
    async listRequested(actor: Actor, filter: { practitionerIds?: string[] } = {}): Promise<CalendarEntry[]> {
      const a = t.appointments;
      const rows = await calendarEntries(
        and(
          eq(a.status, 'requested'),
          gt(a.startAt, clock.now()),
          filter.practitionerIds ? inArray(a.practitionerId, filter.practitionerIds) : undefined,
        ),
        200,
      );
      await audit.recordRead(actor, {
        action: 'appointment.list',
        entity: 'appointment',
        details: { status: 'requested', count: rows.length },
      });
      return rows;
    },
  };

  /** Appointments matching `where`, soonest first, with patient and service names (not audited). */
  function calendarEntries(where: SQL | undefined, limit?: number): Promise<CalendarEntry[]> {
    const a = t.appointments;
    const query = db.reader.db
      .select({
        appointment: a,
        patient: { firstName: t.patients.firstName, lastName: t.patients.lastName },
        service: { name: t.services.name },
      })
      .from(a)
      .innerJoin(t.patients, eq(t.patients.id, a.patientId))
      .innerJoin(t.services, eq(t.services.id, a.serviceId))
      .where(where)
      .orderBy(asc(a.startAt));
    return limit ? query.limit(limit) : query;
  }
}

export type AppointmentsService = ReturnType<typeof appointmentsService>;
