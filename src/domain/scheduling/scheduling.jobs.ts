import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { pruneIdempotencyKeys } from '../../db/idempotency.ts';
import { defineJob, type JobDefinition, type ScheduleDefinition } from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { Language, MessageResolver, Notifier } from '../notifications/index.ts';
import {
  APPOINTMENT_CHANGED,
  type AppointmentsService,
  OFFER_FREED_TIME,
  SEND_REMINDER,
} from './appointments.service.ts';
import { calendarDocument, patientCalendarEvent } from './ical.ts';
import type { WaitlistService } from './waitlist.service.ts';

/**
 * The scheduling area's messages. The jobs enqueued with each change (appointment changed,
 * reminder due, time freed) re-read the appointment and, if it still applies, dispatch the
 * message to the patient by every channel they accept (and to the practitioner when the patient
 * did it online); the notifications job then renders and sends each one, asking the resolver
 * below for the values at send time — so a message overtaken by a newer change sends nothing.
 * Subjects, SMS and push never carry health details: the service is in email bodies only.
 */
export const PRUNE_IDEMPOTENCY_KEYS = 'scheduling.prune-idempotency-keys';

/** What the staff alert calls the event, in the clinic's language (the alert's). */
const staffEvent: Record<Language, Record<string, string>> = {
  en: { booked: 'booking', requested: 'booking request', moved: 'change', cancelled: 'cancellation' },
  fr: {
    booked: 'réservation',
    requested: 'demande de rendez-vous',
    moved: 'modification',
    cancelled: 'annulation',
  },
};

export function schedulingJobs(deps: {
  db: Db;
  clock: Clock;
  appointments: AppointmentsService;
  waitlist: WaitlistService;
  clinic: ClinicService;
  notify: Pick<Notifier, 'dispatch'>;
  baseUrl: string;
}): { definitions: JobDefinition<any>[]; schedules: ScheduleDefinition[]; messages: MessageResolver } {
  const base = deps.baseUrl;
  const changedParams = z.object({
    appointmentId: z.string(),
    event: z.enum(['booked', 'requested', 'approved', 'moved', 'cancelled']),
    version: z.number().int(),
    series: z.boolean().default(false),
  });
  const reminderParams = z.object({
    appointmentId: z.string(),
    hours: z.number().int(),
    startAt: z.string(),
  });
  const offerParams = z.object({
    entryId: z.string(),
    serviceId: z.string(),
    practitionerId: z.string(),
    start: z.string(),
  });

  const notify = defineJob({
    name: APPOINTMENT_CHANGED,
    payload: changedParams.extend({ byPatient: z.boolean() }),
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
  const offer = defineJob({
    name: OFFER_FREED_TIME,
    payload: z.object({ practitionerId: z.string(), start: z.string(), end: z.string() }),
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

  /*
   * A reminder. Re-reads the appointment and dispatches nothing unless it is still booked, at the
   * time the reminder was made for, and still ahead — so a cancelled, moved or past one never
   * reminds, even if its job escaped cancellation. The resolver checks again at send time.
   */
  const stillDue = async (r: z.infer<typeof reminderParams>) => {
    const found = await deps.appointments.forNotification(r.appointmentId);
    if (!found) return null;
    const a = found.appointment;
    if (a.status !== 'booked' || a.startAt.toISOString() !== r.startAt) return null;
    if (a.startAt.getTime() <= deps.clock.now().getTime()) return null;
    return found;
  };
  const remind = defineJob({
    name: SEND_REMINDER,
    payload: reminderParams,
    maxAttempts: 6,
    backoff: { baseMs: 60_000, capMs: 1_800_000 },
    async handle(p) {
      const found = await stillDue(p);
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

  const messages: MessageResolver = {
    types: [
      'appointment-booked',
      'appointment-requested',
      'appointment-approved',
      'appointment-moved',
      'appointment-cancelled',
      'appointment-reminder',
      'waitlist-offer',
      'staff-booking-alert',
    ],
    async resolve(type, params, target) {
      const clinic = await deps.clinic.get();
      const locale = clinic.locale.split('-')[0] === target.language ? clinic.locale : target.language;
      const local = (d: Date) =>
        DateTime.fromJSDate(d, { zone: clinic.timeZone })
          .setLocale(locale)
          .toLocaleString(DateTime.DATETIME_HUGE);
      const appLink = `${base}/app/#/appointments`;
      if (type === 'waitlist-offer') {
        const o = offerParams.parse(params);
        const patient = await deps.appointments.patientForNotification(target.patientId ?? '');
        if (!patient) return null;
        return {
          vars: {
            patientName: patient.firstName,
            when: local(new Date(o.start)),
            // For the waiting patient (a guardian's app books for whichever family member is chosen).
            link: `${base}/app/#/book?serviceId=${o.serviceId}&practitionerId=${o.practitionerId}&start=${encodeURIComponent(o.start)}&patientId=${encodeURIComponent(target.patientId ?? '')}`,
          },
          url: `${base}/app/#/book`,
        };
      }
      if (type === 'appointment-reminder') {
        const found = await stillDue(reminderParams.parse(params));
        if (!found) return null;
        return {
          vars: {
            patientName: found.patient.firstName,
            when: local(found.appointment.startAt),
            service: found.service.name,
            practitioner: found.practitioner.displayName,
            link: appLink,
          },
          url: appLink,
        };
      }
      const p = changedParams.parse(params);
      const found = await deps.appointments.forNotification(p.appointmentId);
      if (!found || found.appointment.version !== p.version) return null;
      const { appointment: a, patient, service, practitioner } = found;
      const all =
        p.series && a.seriesId
          ? await deps.appointments.seriesAppointments(
              a.seriesId,
              p.event === 'cancelled' ? { cancelledFrom: a.startAt } : {},
            )
          : [a];
      if (type === 'staff-booking-alert') {
        const date = DateTime.fromJSDate(a.startAt, { zone: clinic.timeZone }).toISODate();
        return {
          vars: {
            event: staffEvent[target.language][p.event] ?? staffEvent[target.language].booked,
            when: all.map((x) => local(x.startAt)).join(', '),
            link: `${base}/staff/calendar?date=${date}`,
          },
        };
      }
      const when = all.map((x) => local(x.startAt)).join(target.channel === 'email' ? '\n' : ', ');
      const attachments =
        target.channel === 'email'
          ? [
              {
                filename: 'appointment.ics',
                content: calendarDocument({
                  name: clinic.name,
                  method: p.event === 'cancelled' ? 'cancel' : 'request',
                  events: all.map((x) => patientCalendarEvent(x, service.name, clinic)),
                }),
                contentType: 'text/calendar; charset=utf-8',
              },
            ]
          : undefined;
      return {
        vars: {
          patientName: patient.firstName,
          when,
          service: service.name,
          practitioner: practitioner.displayName,
          link: appLink,
        },
        ...(attachments ? { attachments } : {}),
        url: appLink,
      };
    },
  };

  /* Idempotency keys answer retries for a day, then go. */
  const prune = defineJob({
    name: PRUNE_IDEMPOTENCY_KEYS,
    payload: z.object({}).passthrough(),
    async handle() {
      await pruneIdempotencyKeys(deps.db, new Date(deps.clock.now().getTime() - 86_400_000));
    },
  });
  return {
    definitions: [notify, offer, remind, prune],
    schedules: [{ id: PRUNE_IDEMPOTENCY_KEYS, cron: '41 * * * *', job: PRUNE_IDEMPOTENCY_KEYS }],
    messages,
  };
}
