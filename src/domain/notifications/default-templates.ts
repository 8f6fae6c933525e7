import type { Channel, Language, MessageType } from './messages.ts';

/**
 * The shipped wording of every message, in English and French. Staff may override any of them in
 * the settings (message_templates); these are used otherwise. SMS and push texts carry the clinic,
 * the time and a link — never what the appointment is for.
 */
export interface MessageTemplate {
  /** Email only. */
  subject?: string | undefined;
  body: string;
}

type Defaults = Record<MessageType, Partial<Record<Channel, Record<Language, MessageTemplate>>>>;

const appointment = (
  en: { subject: string; line: string; short: string },
  fr: { subject: string; line: string; short: string },
): Partial<Record<Channel, Record<Language, MessageTemplate>>> => ({
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

export const defaultTemplates: Defaults = {
  'sign-in-code': {
    email: {
      en: {
        subject: '{{clinicName}}: your sign-in code',
        body: 'Your code to sign in to {{clinicName}}: {{code}}\n\nOr open this link on the device where you asked for the code: {{link}}\n\nIt works once, for {{minutes}} minutes. If you did not ask for it, ignore this email.',
      },
      fr: {
        subject: '{{clinicName}} : votre code de connexion',
        body: 'Votre code pour vous connecter à {{clinicName}} : {{code}}\n\nOu ouvrez ce lien sur l’appareil où vous avez demandé le code : {{link}}\n\nIl fonctionne une fois, pendant {{minutes}} minutes. Si vous ne l’avez pas demandé, ignorez ce message.',
      },
    },
    sms: {
      en: { body: '{{code}} is your {{clinicName}} sign-in code. It expires in {{minutes}} minutes.' },
      fr: {
        body: '{{code}} est votre code de connexion {{clinicName}}. Il expire dans {{minutes}} minutes.',
      },
    },
  },
  'portal-invite': {
    email: {
      en: {
        subject: '{{clinicName}}: book and manage your appointments online',
        body: 'Hello {{patientName}},\n\n{{clinicName}} invites you to its patient app. Open this link within 7 days and confirm your date of birth:\n{{link}}\n\nIf you did not expect this email, you can ignore it.',
      },
      fr: {
        subject: '{{clinicName}} : prenez et gérez vos rendez-vous en ligne',
        body: 'Bonjour {{patientName}},\n\n{{clinicName}} vous invite à utiliser son application patient. Ouvrez ce lien dans les 7 jours et confirmez votre date de naissance :\n{{link}}\n\nSi vous n’attendiez pas ce message, ignorez-le.',
      },
    },
    sms: {
      en: {
        body: '{{clinicName}} invites you to its patient app: {{link}} (confirm your date of birth; valid 7 days)',
      },
      fr: {
        body: '{{clinicName}} vous invite sur son application patient : {{link}} (date de naissance demandée ; 7 jours)',
      },
    },
  },
  'appointment-booked': appointment(
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
  ),
  'appointment-requested': appointment(
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
  ),
  'appointment-approved': appointment(
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
  ),
  'appointment-moved': appointment(
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
  ),
  'appointment-cancelled': appointment(
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
  ),
  'appointment-reminder': appointment(
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
  ),
  'waitlist-offer': {
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
  'staff-booking-alert': {
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
  test: {
    email: {
      en: {
        subject: '{{clinicName}}: test email',
        body: 'This is a test email from {{clinicName}}. Email works.',
      },
      fr: {
        subject: '{{clinicName}} : email de test',
        body: 'Ceci est un email de test de {{clinicName}}. L’email fonctionne.',
      },
    },
    sms: {
      en: { body: 'Test SMS from {{clinicName}}. SMS works.' },
      fr: { body: 'SMS de test de {{clinicName}}. Les SMS fonctionnent.' },
    },
  },
};
