import { defineMessage } from '../area.ts';
import type { ShippedTemplates } from '../notifications/index.ts';

/*
 * The shape every message about one appointment shares: who it addresses, its variables, the
 * preview's made-up values and the shipped wording in English and French. The messages
 * themselves, and how their variables are filled in, are in scheduling.messages.ts.
 */

/**
 * Who a patient's message addresses: `recipientName` is the reader (the patient, or the guardian
 * a dependant's message goes to) and `patientName` the patient; `dependantName` is the patient's
 * name in a guardian's message and empty in the patient's own (a line naming it is left out);
 * `yourAppointment` ("your appointment", "Leo’s appointment") and `forWhom` ("you", "Leo") fit
 * either in a sentence.
 */
export const addressingVariables = [
  'patientName',
  'recipientName',
  'dependantName',
  'yourAppointment',
] as const;

export const appointmentVariables = [
  ...addressingVariables,
  'clinicName',
  'when',
  'service',
  'practitioner',
  'address',
  'clinicPhone',
  'link',
  'changeUntil',
  'changeByPhone',
] as const;

/** Made-up values for the template preview: never a real patient (the patient's own message). */
export const addressingExamples = {
  patientName: 'Alex',
  recipientName: 'Alex',
  dependantName: '',
  yourAppointment: 'your appointment',
};

export const appointmentExamples = {
  ...addressingExamples,
  when: 'Tuesday 3 March 2026 at 10:30',
  service: 'Physiotherapy',
  practitioner: 'Dr Martin',
  link: 'https://clinic.example/app/',
  changeUntil: 'Monday 2 March 2026 at 10:30',
  changeByPhone: '',
};

/**
 * The shipped wording of a message about one appointment, in English and French: the email says
 * what and with whom; SMS and push carry the clinic, the time and a link — never what it is for.
 * The email's last lines say how to change it: in the app until `changeUntil` when the clinic
 * lets patients change it online (else empty), or by calling `changeByPhone` (else empty).
 */
export const appointmentTemplates = (
  en: { subject: string; line: string; short: string },
  fr: { subject: string; line: string; short: string },
): ShippedTemplates => ({
  email: {
    en: {
      subject: `{{clinicName}}: ${en.subject[0]!.toUpperCase()}${en.subject.slice(1)}`,
      body: `Hello {{recipientName}},\n\n${en.line}\n{{service}} with {{practitioner}}\n{{when}}\n{{address}}\n\nYour appointments: {{link}}\nYou can change or cancel it in the app until {{changeUntil}}.\nTo change it, call {{changeByPhone}}.`,
    },
    fr: {
      subject: `{{clinicName}} : ${fr.subject}`,
      body: `Bonjour {{recipientName}},\n\n${fr.line}\n{{service}} avec {{practitioner}}\n{{when}}\n{{address}}\n\nVos rendez-vous : {{link}}\nVous pouvez le modifier ou l’annuler dans l’application jusqu’au {{changeUntil}}.\nPour le modifier, appelez le {{changeByPhone}}.`,
    },
  },
  sms: {
    en: { body: `{{clinicName}}: ${en.short} {{when}}. {{link}}\nFor {{dependantName}}.` },
    fr: { body: `{{clinicName}} : ${fr.short} {{when}}. {{link}}\nPour {{dependantName}}.` },
  },
  push: {
    en: { subject: '{{clinicName}}', body: `${en.short} {{when}}\nFor {{dependantName}}` },
    fr: { subject: '{{clinicName}}', body: `${fr.short} {{when}}\nPour {{dependantName}}` },
  },
});

/** A message to the patient about their appointment, by every channel. */
export const appointmentMessage = <const T extends string>(
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
