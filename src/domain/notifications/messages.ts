import type { MailMessage } from '../../notify/email/index.ts';

/**
 * What a message type is, as the area that sends it defines it (`defineMessage` in its
 * `<area>.messages.ts`, beside the resolver that finds its values at send time): its variables,
 * whether it is essential (a sign-in code: always sent, never held for quiet hours, no
 * unsubscribe link), on which channels it may go and its shipped wording. SMS, push and email
 * subjects never carry health details: the service and the practitioner are variables of email
 * bodies only, and template validation enforces it (on shipped wording too, at registration).
 */
export const channels = ['email', 'sms', 'push'] as const;
export type Channel = (typeof channels)[number];

/** Languages with shipped templates; any other preference falls back to English. */
export const languages = ['en', 'fr'] as const;
export type Language = (typeof languages)[number];

/** A message type's name ('appointment-booked'), as registered by the area that owns it. */
export type MessageType = string;

/** A template's wording: plain text with `{{variable}}` placeholders. */
export interface MessageTemplate {
  /** Email subject, push title. */
  subject?: string | undefined;
  body: string;
}

/** Shipped wording, per channel the type goes by, in every language (staff may override each). */
export type ShippedTemplates = Partial<Record<Channel, Record<Language, MessageTemplate>>>;

/** A message type as its area defines it (see `defineMessage`). */
export interface MessageDefinition<T extends string = MessageType> {
  type: T;
  /** How staff see it in the template settings. */
  label: string;
  /** Sent whatever the patient's consents and quiet hours (the patient is waiting for it). */
  essential: boolean;
  channels: readonly Channel[];
  /** The variables its templates may use (the clinic's name, phone and address are filled in for every message). */
  variables: readonly string[];
  /** A made-up example of each variable the area fills, for the template preview (never real data). */
  examples: Readonly<Record<string, string>>;
  /**
   * Its values are made anew on each try (a code, an invitation link), so a provider's
   * idempotency key changes with each try instead of dropping the new message as a duplicate.
   */
  remadeEachTry?: boolean;
  templates: ShippedTemplates;
}

/** Variables the dispatcher fills for every message, from the clinic's settings. */
export const clinicVariables = ['clinicName', 'clinicPhone', 'address'] as const;

/**
 * Variables that may name a health detail (what the appointment is for, with whom): allowed in
 * email bodies only — never in a subject, an SMS or a push notification.
 */
export const healthVariables: readonly string[] = ['service', 'practitioner'];

/** What a message type's resolver gives at send time: the values, re-read; null = nothing to send now. */
export interface Resolved {
  vars: Record<string, string | undefined>;
  attachments?: MailMessage['attachments'];
  /** Where a push notification opens (the app, never a health detail). */
  url?: string;
  /** The patient a message turned out to concern (a sign-in code for a known address). */
  patientId?: string | null;
}

/** Where one delivery goes, as its resolver sees it. */
export interface ResolveTarget {
  channel: Channel;
  language: Language;
  patientId: string | null;
  /** Whose address it goes to: the patient, a guardian of theirs (a dependant's message), or null (an address given). */
  contactId: string | null;
  deliveryId: string;
  attempt: number;
}

/**
 * An area's message types and how their values are found at send time: what the area hands the
 * notifications area through its `messages` part.
 */
export interface MessageResolver {
  messages: readonly MessageDefinition[];
  resolve(
    type: MessageType,
    params: Record<string, unknown>,
    target: ResolveTarget,
  ): Promise<Resolved | null>;
}

/** A patient's language preference ('fr-CA') as a language with templates, else English. */
export const languageOf = (preference: string | null | undefined): Language => {
  const base = (preference ?? '').toLowerCase().split('-')[0];
  return (languages as readonly string[]).includes(base ?? '') ? (base as Language) : 'en';
};
