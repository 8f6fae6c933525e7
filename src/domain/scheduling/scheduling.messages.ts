import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { Language, MessageResolver } from '../notifications/index.ts';
import type { AppointmentsService } from './appointments.service.ts';
import { calendarDocument, patientCalendarEvent } from './ical.ts';
import { changedParams, reminderParams, reminderStillDue } from './scheduling.jobs.ts';

const offerParams = z.object({
  entryId: z.string(),
  serviceId: z.string(),
  practitionerId: z.string(),
  start: z.string(),
});

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

/**
 * The scheduling area's messages, resolved at send time from the appointment as it is then (a
 * message overtaken by a newer change resolves to nothing). Subjects, SMS and push never carry
 * health details: the service is in email bodies only.
 */
export function schedulingMessages(deps: {
  clock: Clock;
  appointments: AppointmentsService;
  clinic: ClinicService;
  baseUrl: string;
}): MessageResolver {
  const base = deps.baseUrl;
  const stillDue = (r: z.infer<typeof reminderParams>) => reminderStillDue(deps, r);
  return {
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
}
