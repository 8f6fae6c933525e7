import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import { defineMessage } from '../area.ts';
import type { ClinicService, ClinicSettings } from '../clinic/index.ts';
import type { Language, MessageResolver, ResolveTarget } from '../notifications/index.ts';
import {
  addressingExamples,
  addressingVariables,
  appointmentMessage,
} from './appointment-message-wording.ts';
import type { Appointment } from './appointments.repo.ts';
import type { AppointmentsService } from './appointments.service.ts';
import { isBeforeWindow } from './booking-rules.ts';
import { calendarDocument, patientCalendarEvent } from './ical.ts';
import { changedParams, reminderParams, reminderStillDue } from './scheduling.jobs.ts';

const offerParams = z.object({
  entryId: z.string(),
  serviceId: z.string(),
  practitionerId: z.string(),
  start: z.string(),
});

export const appointmentBookedMessage = appointmentMessage(
  'appointment-booked',
  'Appointment booked',
  {
    subject: 'your appointment is booked',
    line: 'This confirms {{yourAppointment}}:',
    short: 'appointment booked for',
  },
  {
    subject: 'votre rendez-vous est pris',
    line: 'Nous vous confirmons {{yourAppointment}} :',
    short: 'rendez-vous pris pour le',
  },
);

export const appointmentRequestedMessage = appointmentMessage(
  'appointment-requested',
  'Appointment requested',
  {
    subject: 'your appointment request was received',
    line: 'We have received the request for {{yourAppointment}}; the clinic will confirm it.',
    short: 'request received for',
  },
  {
    subject: 'votre demande de rendez-vous est reçue',
    line: 'Nous avons bien reçu la demande pour {{yourAppointment}} ; le cabinet va la confirmer.',
    short: 'demande reçue pour le',
  },
);

export const appointmentApprovedMessage = appointmentMessage(
  'appointment-approved',
  'Appointment confirmed',
  {
    subject: 'your appointment is confirmed',
    line: 'The clinic has confirmed {{yourAppointment}}:',
    short: 'appointment confirmed for',
  },
  {
    subject: 'votre rendez-vous est confirmé',
    line: 'Le cabinet a confirmé {{yourAppointment}} :',
    short: 'rendez-vous confirmé pour le',
  },
);

export const appointmentMovedMessage = appointmentMessage(
  'appointment-moved',
  'Appointment moved',
  {
    subject: 'your appointment has moved',
    line: 'There is a new time for {{yourAppointment}}:',
    short: 'appointment moved to',
  },
  {
    subject: 'votre rendez-vous a été déplacé',
    line: 'Nouvel horaire pour {{yourAppointment}} :',
    short: 'rendez-vous déplacé au',
  },
);

export const appointmentCancelledMessage = appointmentMessage(
  'appointment-cancelled',
  'Appointment cancelled',
  {
    subject: 'your appointment is cancelled',
    line: 'We have cancelled {{yourAppointment}}:',
    short: 'appointment cancelled:',
  },
  {
    subject: 'votre rendez-vous est annulé',
    line: 'Nous avons annulé {{yourAppointment}} :',
    short: 'rendez-vous annulé :',
  },
);

export const appointmentReminderMessage = appointmentMessage(
  'appointment-reminder',
  'Reminder',
  {
    subject: 'a reminder of your appointment',
    line: 'A reminder of {{yourAppointment}}:',
    short: 'reminder of your appointment',
  },
  {
    subject: 'rappel de votre rendez-vous',
    line: 'Petit rappel concernant {{yourAppointment}} :',
    short: 'rappel de votre rendez-vous le',
  },
);

/** A time has become free: offered to the patients on the waitlist (the first to book gets it). */
export const waitlistOfferMessage = defineMessage({
  type: 'waitlist-offer',
  label: 'Waitlist: a time has become free',
  essential: false,
  channels: ['email', 'sms', 'push'],
  variables: [...addressingVariables, 'forWhom', 'clinicName', 'when', 'clinicPhone', 'link'],
  examples: {
    ...addressingExamples,
    forWhom: 'you',
    when: 'Tuesday 3 March 2026 at 10:30',
    link: 'https://clinic.example/app/',
  },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: a time has become free',
        body: 'Hello {{recipientName}},\n\nA time on our waitlist has become free for {{forWhom}}:\n{{when}}\n\nBook it here (the first to book gets it): {{link}}\nOr call us on {{clinicPhone}}.',
      },
      fr: {
        subject: '{{clinicName}} : un créneau s’est libéré',
        body: 'Bonjour {{recipientName}},\n\nUn créneau de notre liste d’attente s’est libéré pour {{forWhom}} :\n{{when}}\n\nRéservez-le ici (le premier arrivé l’obtient) : {{link}}\nOu appelez-nous au {{clinicPhone}}.',
      },
    },
    sms: {
      en: {
        body: '{{clinicName}}: a time has become free, {{when}}. First to book gets it: {{link}}\nFor {{dependantName}}.',
      },
      fr: {
        body: '{{clinicName}} : un créneau s’est libéré, {{when}}. Premier arrivé : {{link}}\nPour {{dependantName}}.',
      },
    },
    push: {
      en: { subject: '{{clinicName}}', body: 'A time has become free: {{when}}\nFor {{dependantName}}' },
      fr: { subject: '{{clinicName}}', body: 'Un créneau s’est libéré : {{when}}\nPour {{dependantName}}' },
    },
  },
});

/** To the practitioner: a patient booked, moved or cancelled online (their alert preference). */
export const staffBookingAlertMessage = defineMessage({
  type: 'staff-booking-alert',
  label: 'Staff alert: online booking or cancellation',
  essential: false,
  channels: ['email'],
  variables: ['clinicName', 'event', 'when', 'link'],
  examples: { event: 'booking', when: 'Tuesday 3 March 2026 at 10:30', link: 'https://clinic.example/app/' },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: an online {{event}}',
        body: 'A patient made an online {{event}} for {{when}}.\n\n{{link}}',
      },
      fr: {
        subject: '{{clinicName}} : {{event}} en ligne',
        body: 'Un patient a fait en ligne : {{event}}, pour le {{when}}.\n\n{{link}}',
      },
    },
  },
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

/** The addressing variables (see addressingVariables) of a message to `target` about the patient `patientName`. */
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
      return {
        vars: {
          ...(await addressing(deps.appointments, target, patient.firstName)),
          when,
          service: service.name,
          practitioner: practitioner.displayName,
          link: appLink,
          ...howToChange(clinic, a, deps.clock.now(), local),
        },
        ...(attachments ? { attachments } : {}),
        url: appLink,
      };
    },
  };
}
