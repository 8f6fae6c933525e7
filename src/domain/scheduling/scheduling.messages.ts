import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import { defineMessages } from '../area.ts';
import type { ClinicService, ClinicSettings } from '../clinic/index.ts';
import type { Language, MessageResolver, ResolveTarget } from '../notifications/index.ts';
import type { Appointment } from './appointments.repo.ts';
import type { AppointmentsService } from './appointments.service.ts';
import { isBeforeWindow } from './booking-rules.ts';
import { calendarDocument, patientCalendarEvent } from './ical.ts';
import { changedParams, reminderParams, reminderStillDue } from './scheduling.jobs.ts';
import catalogue from './scheduling.messages.json' with { type: 'json' };

const offerParams = z.object({
  entryId: z.string(),
  serviceId: z.string(),
  practitionerId: z.string(),
  start: z.string(),
});

/*
 * The wording of every message about an appointment is in scheduling.messages.json. The email
 * says what and with whom; SMS and push carry the clinic, the time and a link — never what it is
 * for. The email's last lines say how to change it: in the app until `changeUntil` when the clinic
 * lets patients change it online (else empty), or by calling `changeByPhone` (else empty).
 */
const messages = defineMessages(catalogue);

export const appointmentBookedMessage = messages['appointment-booked'];
export const appointmentRequestedMessage = messages['appointment-requested'];
export const appointmentApprovedMessage = messages['appointment-approved'];
export const appointmentMovedMessage = messages['appointment-moved'];
export const appointmentCancelledMessage = messages['appointment-cancelled'];
export const appointmentReminderMessage = messages['appointment-reminder'];

/** A time has become free: offered to the patients on the waitlist (the first to book gets it). */
export const waitlistOfferMessage = messages['waitlist-offer'];

/** To the practitioner: a patient booked, moved or cancelled online (their alert preference). */
export const staffBookingAlertMessage = messages['staff-booking-alert'];

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
 * The addressing variables of a message to `target` about the patient `patientName`:
 * `recipientName` is the reader (the patient, or the guardian a dependant's message goes to) and
 * `patientName` the patient; `dependantName` is the patient's name in a guardian's message and
 * empty in the patient's own (a line naming it is left out); `yourAppointment` ("your
 * appointment", "Leo’s appointment") and `forWhom` ("you", "Leo") fit either in a sentence.
 */
async function addressing(
  appointments: Pick<AppointmentsService, 'patientForNotification'>,
  target: ResolveTarget,
  patientName: string,
): Promise<Record<string, string>> {
  const fr = target.language === 'fr';
  const guardianId = target.contactId && target.contactId !== target.patientId ? target.contactId : null;
  const guardian = guardianId ? await appointments.patientForNotification(guardianId) : null;
  if (!guardian) {
    return {
      patientName,
      recipientName: patientName,
      dependantName: '',
      yourAppointment: fr ? 'votre rendez-vous' : 'your appointment',
      forWhom: fr ? 'vous' : 'you',
    };
  }
  return {
    patientName,
    recipientName: guardian.firstName,
    dependantName: patientName,
    yourAppointment: fr ? `le rendez-vous de ${patientName}` : `${patientName}’s appointment`,
    forWhom: patientName,
  };
}

/**
 * How the patient may change the appointment, as the clinic's settings allow now: online (the
 * clinic takes online bookings and the cancellation window has not begun) until `changeUntil`,
 * else by calling `changeByPhone`. The other is empty, so its line is left out.
 */
function howToChange(
  settings: ClinicSettings,
  a: Appointment,
  now: Date,
  local: (d: Date) => string,
): { changeUntil: string; changeByPhone: string } {
  const open = a.status === 'booked' || a.status === 'requested';
  if (open && settings.selfBooking && isBeforeWindow(settings, a, now)) {
    const until = new Date(a.startAt.getTime() - settings.cancellationWindowHours * 3_600_000);
    return { changeUntil: local(until), changeByPhone: '' };
  }
  return { changeUntil: '', changeByPhone: settings.phone };
}

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
    messages: [
      appointmentBookedMessage,
      appointmentRequestedMessage,
      appointmentApprovedMessage,
      appointmentMovedMessage,
      appointmentCancelledMessage,
      appointmentReminderMessage,
      waitlistOfferMessage,
      staffBookingAlertMessage,
    ],
    async resolve(type, params, target) {
      const clinic = await deps.clinic.get();
      const locale = clinic.locale.split('-')[0] === target.language ? clinic.locale : target.language;
      const local = (d: Date) =>
        DateTime.fromJSDate(d, { zone: clinic.timeZone })
          .setLocale(locale)
          .toLocaleString(DateTime.DATETIME_HUGE);
      const appLink = `${base}/app/#/appointments`;
      if (type === waitlistOfferMessage.type) {
        const o = offerParams.parse(params);
        const patient = await deps.appointments.patientForNotification(target.patientId ?? '');
        if (!patient) return null;
        return {
          vars: {
            ...(await addressing(deps.appointments, target, patient.firstName)),
            when: local(new Date(o.start)),
            // For the waiting patient (a guardian's app books for whichever family member is chosen).
            link: `${base}/app/#/book?serviceId=${o.serviceId}&practitionerId=${o.practitionerId}&start=${encodeURIComponent(o.start)}&patientId=${encodeURIComponent(target.patientId ?? '')}`,
          },
          url: `${base}/app/#/book`,
        };
      }
      if (type === appointmentReminderMessage.type) {
        const found = await stillDue(reminderParams.parse(params));
        if (!found) return null;
        return {
          vars: {
            ...(await addressing(deps.appointments, target, found.patient.firstName)),
            when: local(found.appointment.startAt),
            service: found.service.name,
            practitioner: found.practitioner.displayName,
            link: appLink,
            ...howToChange(clinic, found.appointment, deps.clock.now(), local),
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
      if (type === staffBookingAlertMessage.type) {
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
      const confirms = type === appointmentBookedMessage.type || type === appointmentRequestedMessage.type;
      return {
        vars: {
          ...(await addressing(deps.appointments, target, patient.firstName)),
          when,
          service: service.name,
          practitioner: practitioner.displayName,
          link: appLink,
          ...howToChange(clinic, a, deps.clock.now(), local),
          // What later areas add to a confirmation (the forms to fill in before the visit).
          formsToFill: confirms ? await deps.appointments.confirmationLines(a, target) : '',
        },
        ...(attachments ? { attachments } : {}),
        url: appLink,
      };
    },
  };
}
