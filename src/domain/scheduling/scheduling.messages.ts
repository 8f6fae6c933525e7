import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import { defineMessage } from '../area.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { Language, MessageResolver, ShippedTemplates } from '../notifications/index.ts';
import type { AppointmentsService } from './appointments.service.ts';
import { calendarDocument, patientCalendarEvent } from './ical.ts';
import { changedParams, reminderParams, reminderStillDue } from './scheduling.jobs.ts';

const offerParams = z.object({
  entryId: z.string(),
  serviceId: z.string(),
  practitionerId: z.string(),
  start: z.string(),
});

const appointmentVariables = [
  'patientName',
  'clinicName',
  'when',
  'service',
  'practitioner',
  'address',
  'clinicPhone',
  'link',
] as const;

/** Made-up values for the template preview: never a real patient. */
const appointmentExamples = {
  patientName: 'Alex',
  when: 'Tuesday 3 March 2026 at 10:30',
  service: 'Physiotherapy',
  practitioner: 'Dr Martin',
  link: 'https://clinic.example/app/',
};

/**
 * The shipped wording of a message about one appointment, in English and French: the email says
 * what and with whom; SMS and push carry the clinic, the time and a link — never what it is for.
 */
const appointmentTemplates = (
  en: { subject: string; line: string; short: string },
  fr: { subject: string; line: string; short: string },
): ShippedTemplates => ({
  email: {
    en: {
      subject: `{{clinicName}}: ${en.subject[0]!.toUpperCase()}${en.subject.slice(1)}`,
      body: `Hello {{patientName}},\n\n${en.line}\n{{service}} with {{practitioner}}\n{{when}}\n{{address}}\n\nYour appointments: {{link}}\nTo change it, call {{clinicPhone}}.`,
    },
    fr: {
      subject: `{{clinicName}} : ${fr.subject}`,
      body: `Bonjour {{patientName}},\n\n${fr.line}\n{{service}} avec {{practitioner}}\n{{when}}\n{{address}}\n\nVos rendez-vous : {{link}}\nPour le modifier, appelez le {{clinicPhone}}.`,
    },
  },
  sms: {
    en: { body: `{{clinicName}}: ${en.short} {{when}}. {{link}}` },
    fr: { body: `{{clinicName}} : ${fr.short} {{when}}. {{link}}` },
  },
  push: {
    en: { subject: '{{clinicName}}', body: `${en.short} {{when}}` },
    fr: { subject: '{{clinicName}}', body: `${fr.short} {{when}}` },
  },
});

/** A message to the patient about their appointment, by every channel. */
const appointmentMessage = <const T extends string>(
  type: T,
  label: string,
  en: { subject: string; line: string; short: string },
  fr: { subject: string; line: string; short: string },
) =>
  defineMessage({
    type,
    label,
    essential: false,
    channels: ['email', 'sms', 'push'],
    variables: appointmentVariables,
    examples: appointmentExamples,
    templates: appointmentTemplates(en, fr),
  });

export const appointmentBookedMessage = appointmentMessage(
  'appointment-booked',
  'Appointment booked',
  {
    subject: 'your appointment is booked',
    line: 'Your appointment is booked.',
    short: 'appointment booked for',
  },
  {
    subject: 'votre rendez-vous est pris',
    line: 'Votre rendez-vous est pris.',
    short: 'rendez-vous pris pour le',
  },
);

export const appointmentRequestedMessage = appointmentMessage(
  'appointment-requested',
  'Appointment requested',
  {
    subject: 'your appointment request was received',
    line: 'Your appointment request was received; the clinic will confirm it.',
    short: 'request received for',
  },
  {
    subject: 'votre demande de rendez-vous est reçue',
    line: 'Votre demande de rendez-vous est reçue ; le cabinet va la confirmer.',
    short: 'demande reçue pour le',
  },
);

export const appointmentApprovedMessage = appointmentMessage(
  'appointment-approved',
  'Appointment confirmed',
  {
    subject: 'your appointment is confirmed',
    line: 'Your appointment is confirmed.',
    short: 'appointment confirmed for',
  },
  {
    subject: 'votre rendez-vous est confirmé',
    line: 'Votre rendez-vous est confirmé.',
    short: 'rendez-vous confirmé pour le',
  },
);

export const appointmentMovedMessage = appointmentMessage(
  'appointment-moved',
  'Appointment moved',
  {
    subject: 'your appointment has moved',
    line: 'Your appointment has moved.',
    short: 'appointment moved to',
  },
  {
    subject: 'votre rendez-vous a été déplacé',
    line: 'Votre rendez-vous a été déplacé.',
    short: 'rendez-vous déplacé au',
  },
);

export const appointmentCancelledMessage = appointmentMessage(
  'appointment-cancelled',
  'Appointment cancelled',
  {
    subject: 'your appointment is cancelled',
    line: 'Your appointment is cancelled.',
    short: 'appointment cancelled:',
  },
  {
    subject: 'votre rendez-vous est annulé',
    line: 'Votre rendez-vous est annulé.',
    short: 'rendez-vous annulé :',
  },
);

export const appointmentReminderMessage = appointmentMessage(
  'appointment-reminder',
  'Reminder',
  {
    subject: 'a reminder of your appointment',
    line: 'A reminder of your appointment:',
    short: 'reminder of your appointment',
  },
  {
    subject: 'rappel de votre rendez-vous',
    line: 'Rappel de votre rendez-vous :',
    short: 'rappel de votre rendez-vous le',
  },
);

/** A time has become free: offered to the patients on the waitlist (the first to book gets it). */
export const waitlistOfferMessage = defineMessage({
  type: 'waitlist-offer',
  label: 'Waitlist: a time has become free',
  essential: false,
  channels: ['email', 'sms', 'push'],
  variables: ['patientName', 'clinicName', 'when', 'clinicPhone', 'link'],
  examples: {
    patientName: 'Alex',
    when: 'Tuesday 3 March 2026 at 10:30',
    link: 'https://clinic.example/app/',
  },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: a time has become free',
        body: 'Hello {{patientName}},\n\nYou are on our waitlist, and a time has become free:\n{{when}}\n\nBook it here (the first to book gets it): {{link}}\nOr call us on {{clinicPhone}}.',
      },
      fr: {
        subject: '{{clinicName}} : un créneau s’est libéré',
        body: 'Bonjour {{patientName}},\n\nVous êtes sur notre liste d’attente, et un créneau s’est libéré :\n{{when}}\n\nRéservez-le ici (le premier arrivé l’obtient) : {{link}}\nOu appelez-nous au {{clinicPhone}}.',
      },
    },
    sms: {
      en: { body: '{{clinicName}}: a time has become free, {{when}}. First to book gets it: {{link}}' },
      fr: { body: '{{clinicName}} : un créneau s’est libéré, {{when}}. Premier arrivé : {{link}}' },
    },
    push: {
      en: { subject: '{{clinicName}}', body: 'A time has become free: {{when}}' },
      fr: { subject: '{{clinicName}}', body: 'Un créneau s’est libéré : {{when}}' },
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
            patientName: patient.firstName,
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
