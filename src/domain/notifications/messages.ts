/**
 * The catalogue of messages Clinicbox sends: each type's variables, whether it is essential (a
 * sign-in code: always sent, never held for quiet hours, no unsubscribe link) and on which
 * channels it may go. SMS, push and email subjects never carry health details: the service and
 * the practitioner are variables of email bodies only, and template validation enforces it.
 */
export const channels = ['email', 'sms', 'push'] as const;
export type Channel = (typeof channels)[number];

/** Languages with shipped templates; any other preference falls back to English. */
export const languages = ['en', 'fr'] as const;
export type Language = (typeof languages)[number];

export const messageTypes = [
  'sign-in-code',
  'portal-invite',
  'appointment-booked',
  'appointment-requested',
  'appointment-approved',
  'appointment-moved',
  'appointment-cancelled',
  'appointment-reminder',
  'waitlist-offer',
  'staff-booking-alert',
  'test',
] as const;
export type MessageType = (typeof messageTypes)[number];

export interface MessageKind {
  label: string;
  /** Sent whatever the patient's consents and quiet hours (the patient is waiting for it). */
  essential: boolean;
  channels: readonly Channel[];
  variables: readonly string[];
}

const appointmentVars = [
  'patientName',
  'clinicName',
  'when',
  'service',
  'practitioner',
  'address',
  'clinicPhone',
  'link',
] as const;

export const messageKinds: Record<MessageType, MessageKind> = {
  'sign-in-code': {
    label: 'Sign-in code',
    essential: true,
    channels: ['email', 'sms'],
    variables: ['clinicName', 'code', 'minutes', 'link'],
  },
  'portal-invite': {
    label: 'Invitation to the patient app',
    essential: false,
    channels: ['email', 'sms'],
    variables: ['patientName', 'clinicName', 'link'],
  },
  'appointment-booked': {
    label: 'Appointment booked',
    essential: false,
    channels,
    variables: appointmentVars,
  },
  'appointment-requested': {
    label: 'Appointment requested',
    essential: false,
    channels,
    variables: appointmentVars,
  },
  'appointment-approved': {
    label: 'Appointment confirmed',
    essential: false,
    channels,
    variables: appointmentVars,
  },
  'appointment-moved': { label: 'Appointment moved', essential: false, channels, variables: appointmentVars },
  'appointment-cancelled': {
    label: 'Appointment cancelled',
    essential: false,
    channels,
    variables: appointmentVars,
  },
  'appointment-reminder': { label: 'Reminder', essential: false, channels, variables: appointmentVars },
  'waitlist-offer': {
    label: 'Waitlist: a time has become free',
    essential: false,
    channels,
    variables: ['patientName', 'clinicName', 'when', 'clinicPhone', 'link'],
  },
  'staff-booking-alert': {
    label: 'Staff alert: online booking or cancellation',
    essential: false,
    channels: ['email'],
    variables: ['clinicName', 'event', 'when', 'link'],
  },
  test: { label: 'Test message', essential: true, channels: ['email', 'sms'], variables: ['clinicName'] },
};

/**
 * Variables that may name a health detail (what the appointment is for, with whom): allowed in
 * email bodies only — never in a subject, an SMS or a push notification.
 */
export const healthVariables: readonly string[] = ['service', 'practitioner'];

/** A patient's language preference ('fr-CA') as a language with templates, else English. */
export const languageOf = (preference: string | null | undefined): Language => {
  const base = (preference ?? '').toLowerCase().split('-')[0];
  return (languages as readonly string[]).includes(base ?? '') ? (base as Language) : 'en';
};
