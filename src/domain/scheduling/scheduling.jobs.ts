import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { pruneIdempotencyKeys } from '../../db/idempotency.ts';
import { type AreaJobs, areaJobs, defineJob, jobType, upkeepJob, upkeepJobType } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Notifier } from '../notifications/index.ts';
import type { AppointmentsService } from './appointments.service.ts';
import type { WaitlistService } from './waitlist.service.ts';

/**
 * The scheduling area's jobs. The jobs enqueued with each change (appointment changed, reminder
 * due, time freed) re-read the appointment and, if it still applies, dispatch the message to the
 * patient by every channel they accept (and to the practitioner when the patient did it online);
 * the notifications job then renders and sends each one, asking the area's resolver
 * (scheduling.messages.ts) for the values at send time — so a message overtaken by a newer change
 * sends nothing.
 */
export const changedParams = z.object({
  appointmentId: z.string(),
  event: z.enum(['booked', 'requested', 'approved', 'moved', 'cancelled']),
  version: z.number().int(),
  series: z.boolean().default(false),
});
export const reminderParams = z.object({
  appointmentId: z.string(),
  hours: z.number().int(),
  startAt: z.string(),
});

/** Tells the patient (and, for online changes, the clinic) what happened. */
export const APPOINTMENT_CHANGED = jobType(
  'scheduling.appointment-changed',
  changedParams.extend({ byPatient: z.boolean() }),
);
/** Reminds the patient before the start (one per configured offset). */
export const SEND_REMINDER = jobType('scheduling.send-reminder', reminderParams);
/** Offers time freed by a cancellation or a move to the waitlist. */
export const OFFER_FREED_TIME = jobType(
  'scheduling.offer-freed-time',
  z.object({ practitionerId: z.string(), start: z.string(), end: z.string() }),
);
/** Hourly: idempotency keys answer retries for a day, then go. */
export const PRUNE_IDEMPOTENCY_KEYS = upkeepJobType('scheduling.prune-idempotency-keys', '41 * * * *');

/**
 * A reminder still applies when the appointment is booked, at the time the reminder was made for,
 * and still ahead — so a cancelled, moved or past one never reminds, even if its job escaped
 * cancellation. Checked by the job and again by the resolver at send time.
 */
export async function reminderStillDue(
  deps: { appointments: AppointmentsService; clock: Clock },
  r: z.infer<typeof reminderParams>,
) {
  const found = await deps.appointments.forNotification(r.appointmentId);
  if (!found) return null;
  const a = found.appointment;
  if (a.status !== 'booked' || a.startAt.toISOString() !== r.startAt) return null;
  if (a.startAt.getTime() <= deps.clock.now().getTime()) return null;
  return found;
}

export function schedulingJobs(deps: {
  db: Db;
  clock: Clock;
  appointments: AppointmentsService;
  waitlist: WaitlistService;
  notify: Pick<Notifier, 'dispatch'>;
}): AreaJobs {
  const notify = defineJob(APPOINTMENT_CHANGED, {
    maxAttempts: 8,
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    async handle(p) {
      const found = await deps.appointments.forNotification(p.appointmentId);
      if (!found || found.appointment.version !== p.version) return;
      const a = found.appointment;
      const params = { appointmentId: a.id, event: p.event, version: p.version, series: p.series };
      await deps.db.tx(async (ctx) => {
        await deps.notify.dispatch(ctx, {
          type: `appointment-${p.event}`,
          to: { patientId: a.patientId },
          params,
          key: `appointment:${a.id}:${a.version}:patient`,
          deadline: a.startAt,
        });
        if (p.byPatient && p.event !== 'approved') {
          await deps.notify.dispatch(ctx, {
            type: 'staff-booking-alert',
            to: { staffId: a.practitionerId },
            params,
            key: `appointment:${a.id}:${a.version}:staff`,
          });
        }
      });
    },
  });

  /*
   * Offers freed time to the waitlist: who is waiting for it (live slot search re-checks it is
   * still free), one message each with a link to book it. A re-run may write to the same people again.
   */
  const offer = defineJob(OFFER_FREED_TIME, {
    maxAttempts: 5,
    backoff: { baseMs: 30_000, capMs: 600_000 },
    async handle(p, { job }) {
      const offers = await deps.waitlist.offersFor({
        practitionerId: p.practitionerId,
        start: new Date(p.start),
        end: new Date(p.end),
      });
      if (!offers.length) return;
      await deps.db.tx(async (ctx) => {
        for (const o of offers) {
          await deps.notify.dispatch(ctx, {
            type: 'waitlist-offer',
            to: { patientId: o.entry.patientId },
            params: {
              entryId: o.entry.id,
              serviceId: o.entry.serviceId,
              practitionerId: o.slot.practitionerId,
              start: o.slot.start.toISOString(),
            },
            key: `waitlist:${o.entry.id}:${job.id}`,
            deadline: o.slot.start,
          });
        }
      });
      await deps.waitlist.markOffered(offers.map((o) => o.entry.id));
    },
  });

  /* A reminder: dispatches nothing unless it still applies (reminderStillDue). */
  const remind = defineJob(SEND_REMINDER, {
    maxAttempts: 6,
    backoff: { baseMs: 60_000, capMs: 1_800_000 },
    async handle(p) {
      const found = await reminderStillDue(deps, p);
      if (!found) return;
      await deps.db.tx((ctx) =>
        deps.notify.dispatch(ctx, {
          type: 'appointment-reminder',
          to: { patientId: found.appointment.patientId },
          params: p,
          key: `reminder:${p.appointmentId}:${p.hours}:${p.startAt}`,
          deadline: found.appointment.startAt,
        }),
      );
    },
  });

  const prune = upkeepJob(PRUNE_IDEMPOTENCY_KEYS, () =>
    pruneIdempotencyKeys(deps.db, new Date(deps.clock.now().getTime() - 86_400_000)),
  );
  return areaJobs(notify, offer, remind, prune);
}
