import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { pruneIdempotencyKeys } from '../../db/idempotency.ts';
import {
  defineJob,
  type JobDefinition,
  PermanentJobError,
  type ScheduleDefinition,
} from '../../jobs/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { type MailTransport, PermanentMailError } from '../../notify/email/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import {
  APPOINTMENT_CHANGED,
  type AppointmentsService,
  OFFER_FREED_TIME,
  SEND_REMINDER,
} from './appointments.service.ts';
import { calendarDocument } from './ical.ts';
import type { WaitlistService } from './waitlist.service.ts';

const headline = {
  booked: 'Your appointment is booked',
  requested: 'Your appointment request was received; the clinic will confirm it',
  approved: 'Your appointment is confirmed',
  moved: 'Your appointment has moved',
  cancelled: 'Your appointment is cancelled',
} as const;

/**
 * Tells the patient by email what happened to their appointment, with the calendar entry
 * attached, and tells the practitioner when the patient did it online. Re-reads first: a job
 * overtaken by a newer change of the same appointment sends nothing (the newer job tells the
 * latest state). Subjects never carry health details. SMS, push and templates come with
 * notifications; this is the email path.
 */
export const PRUNE_IDEMPOTENCY_KEYS = 'scheduling.prune-idempotency-keys';

export function schedulingJobs(deps: {
  db: Db;
  clock: Clock;
  appointments: AppointmentsService;
  waitlist: WaitlistService;
  clinic: ClinicService;
  mail: MailTransport;
  baseUrl: string;
}): { definitions: JobDefinition<any>[]; schedules: ScheduleDefinition[] } {
  const notify = defineJob({
    name: APPOINTMENT_CHANGED,
    payload: z.object({
      appointmentId: z.string(),
      event: z.enum(['booked', 'requested', 'approved', 'moved', 'cancelled']),
      version: z.number().int(),
      byPatient: z.boolean(),
      /** A recurring series booked or cancelled at once: one message listing every appointment. */
      series: z.boolean().default(false),
    }),
    maxAttempts: 8,
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    async handle(p, { job }) {
      const found = await deps.appointments.forNotification(p.appointmentId);
      if (!found || found.appointment.version !== p.version) return;
      const { appointment: a, patient, service, practitioner } = found;
      const clinic = await deps.clinic.get();
      const local = (d: Date) =>
        DateTime.fromJSDate(d, { zone: clinic.timeZone })
          .setLocale(clinic.locale)
          .toLocaleString(DateTime.DATETIME_HUGE);
      const all =
        p.series && a.seriesId
          ? await deps.appointments.seriesAppointments(
              a.seriesId,
              p.event === 'cancelled' ? { cancelledFrom: a.startAt } : {},
            )
          : [a];
      const when = all.map((x) => local(x.startAt)).join('\n');
      const title =
        all.length > 1
          ? `Your ${all.length} appointments are ${p.event === 'cancelled' ? 'cancelled' : 'booked'}`
          : headline[p.event];
      const ics = calendarDocument({
        name: clinic.name,
        method: p.event === 'cancelled' ? 'cancel' : 'request',
        events: all.map((x) => ({
          id: x.id,
          start: x.startAt,
          end: x.endAt,
          summary: `${service.name} — ${clinic.name}`,
          location: clinic.address,
          cancelled: p.event === 'cancelled',
          sequence: x.version,
          updatedAt: x.updatedAt,
        })),
      });
      const send = async (to: string, subject: string, text: string, attach: boolean, suffix: string) => {
        try {
          await deps.mail.send({
            to,
            subject,
            text,
            ...(attach
              ? {
                  attachments: [
                    {
                      filename: 'appointment.ics',
                      content: ics,
                      contentType: 'text/calendar; charset=utf-8',
                    },
                  ],
                }
              : {}),
            idempotencyKey: `appointment-${a.id}-${a.version}-${suffix}-${job.attempts}`,
          });
        } catch (e) {
          if (e instanceof PermanentMailError) throw new PermanentJobError(e.message);
          throw e;
        }
      };
      if (patient.email && patient.messagesByEmail) {
        await send(
          patient.email,
          `${clinic.name}: ${title.split(';')[0]}`,
          [
            `Hello ${patient.firstName},`,
            '',
            `${title}.`,
            `${service.name} with ${practitioner.displayName}`,
            when,
            clinic.address,
            '',
            clinic.phone ? `To change it, call ${clinic.phone}.` : '',
          ].join('\n'),
          true,
          'patient',
        );
      }
      if (
        p.byPatient &&
        (p.event === 'booked' || p.event === 'requested' || p.event === 'cancelled' || p.event === 'moved')
      ) {
        const link = `${deps.baseUrl.replace(/\/$/, '')}/staff/calendar?date=${DateTime.fromJSDate(a.startAt, { zone: clinic.timeZone }).toISODate()}`;
        await send(
          practitioner.email,
          `${clinic.name}: an online ${p.event === 'cancelled' ? 'cancellation' : p.event === 'moved' ? 'change' : 'booking'}`,
          [
            `A patient ${p.event === 'requested' ? 'requested' : p.event} an appointment online for ${when}.`,
            '',
            link,
          ].join('\n'),
          false,
          'staff',
        );
      }
    },
  });
  /*
   * Offers freed time to the waitlist: who is waiting for it (live slot search re-checks it is
   * still free), one email each with a link to book it. A re-run may email the same people again.
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
      const clinic = await deps.clinic.get();
      const base = deps.baseUrl.replace(/\/$/, '');
      for (const o of offers) {
        if (!o.patient.email || !o.patient.messagesByEmail) continue;
        const when = DateTime.fromJSDate(o.slot.start, { zone: clinic.timeZone })
          .setLocale(clinic.locale)
          .toLocaleString(DateTime.DATETIME_HUGE);
        const link = `${base}/app/#/book?serviceId=${o.entry.serviceId}&practitionerId=${o.slot.practitionerId}&start=${encodeURIComponent(o.slot.start.toISOString())}`;
        try {
          await deps.mail.send({
            to: o.patient.email,
            subject: `${clinic.name}: a time has become free`,
            text: [
              `Hello ${o.patient.firstName},`,
              '',
              'You are on our waitlist, and a time has become free:',
              when,
              '',
              `Book it here (the first to book gets it): ${link}`,
              clinic.phone ? `Or call us on ${clinic.phone}.` : '',
            ].join('\n'),
            idempotencyKey: `waitlist-${o.entry.id}-${job.id}`,
          });
        } catch (e) {
          if (e instanceof PermanentMailError) continue; // one bad address must not stop the others
          throw e;
        }
      }
      await deps.waitlist.markOffered(offers.map((o) => o.entry.id));
    },
  });

  /*
   * A reminder. Re-reads the appointment and sends nothing unless it is still booked, at the time
   * the reminder was made for, and still ahead — so a cancelled, moved or past one never reminds,
   * even if its job escaped cancellation. The provider key makes a re-run recognisable.
   */
  const remind = defineJob({
    name: SEND_REMINDER,
    payload: z.object({ appointmentId: z.string(), hours: z.number().int(), startAt: z.string() }),
    maxAttempts: 6,
    backoff: { baseMs: 60_000, capMs: 1_800_000 },
    async handle(p) {
      const found = await deps.appointments.forNotification(p.appointmentId);
      if (!found) return;
      const { appointment: a, patient, service, practitioner } = found;
      if (a.status !== 'booked' || a.startAt.toISOString() !== p.startAt) return;
      if (a.startAt.getTime() <= deps.clock.now().getTime()) return;
      if (!patient.email || !patient.messagesByEmail) return;
      const clinic = await deps.clinic.get();
      const when = DateTime.fromJSDate(a.startAt, { zone: clinic.timeZone })
        .setLocale(clinic.locale)
        .toLocaleString(DateTime.DATETIME_HUGE);
      try {
        await deps.mail.send({
          to: patient.email,
          subject: `${clinic.name}: a reminder of your appointment`,
          text: [
            `Hello ${patient.firstName},`,
            '',
            'A reminder of your appointment:',
            when,
            `${service.name} with ${practitioner.displayName}`,
            clinic.address,
            '',
            clinic.phone ? `If you cannot come, please tell us: ${clinic.phone}.` : '',
          ].join('\n'),
          idempotencyKey: `reminder-${a.id}-${p.hours}-${p.startAt}`,
        });
      } catch (e) {
        if (e instanceof PermanentMailError) throw new PermanentJobError(e.message);
        throw e;
      }
    },
  });

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
  };
}
