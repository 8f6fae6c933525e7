import catalogue from './messages.json' with { type: 'json' };

/**
 * Every message a patient can meet through the API, in each language the API speaks, keyed by a
 * stable code: the wording is data, in messages.json (grouped by subject: generic, what not_found
 * names, documents, records and family, sign-in and registration, booking, statuses, waitlist).
 * Errors carry the key (AppError's `key`, a field issue's `code`), their English `message` is
 * rendered from here, and the API answers in French when the request asks for it
 * (`Accept-Language`, which the patient app sends) — so rewording the English cannot lose the
 * French. Parameters are written `{name}`; a parameter may itself be a key (the subject of
 * `not_found`, an appointment's status), said in the same language. Staff-only messages stay
 * plain English where they are raised. `messages.test.ts` checks that every key is used in src/.
 */
export type Language = 'en' | 'fr';

/** The languages the API answers in, English first (the default). */
export const languages: Language[] = ['en', 'fr'];

/** A message of the table (messages.json). */
export type MessageKey = keyof typeof catalogue;

/** Every message, keyed by code, in every language (a missing language does not compile). */
const table: Record<MessageKey, Record<Language, string>> = catalogue;

/**
 * The `{name}`s each message takes; a message not named here takes none. `messages.test.ts`
 * checks that its wording in every language uses exactly these, so callers are typed by them.
 */
const paramsOf = {
  not_found: ['subject'],
  too_many_waiting_uploads: ['count'],
  too_many_open_appointments: ['max'],
  too_many_dependants: ['max'],
  passkey_not_added: ['reason'],
  search_too_long: ['days'],
  appointment_not_cancellable: ['status'],
  appointment_not_movable: ['status'],
  date_of_birth_not_on_record: ['tries'],
  form_changed_elsewhere: ['version'],
} as const satisfies Partial<Record<MessageKey, readonly string[]>>;

/** The parameters each message takes, as `paramsOf` declares them (for the test of the wording). */
export const messageParams = (key: MessageKey): readonly string[] =>
  (paramsOf as Partial<Record<MessageKey, readonly string[]>>)[key] ?? [];

/** The `{name}`s a message takes. */
export type MessageParamNames<K extends MessageKey> = K extends keyof typeof paramsOf
  ? (typeof paramsOf)[K][number]
  : never;
/** A parameter's value: text or a number said as it is, or a key said in the message's language. */
export type MessageParam = string | number;
export type MessageParams = Record<string, MessageParam>;

/** A message that takes no parameters. */
export type PlainMessageKey = {
  [K in MessageKey]: MessageParamNames<K> extends never ? K : never;
}[MessageKey];

/** A message of the table with its parameters (each key with exactly the parameters it names). */
export type Said = {
  [K in MessageKey]: MessageParamNames<K> extends never
    ? { key: K; params?: undefined }
    : { key: K; params: Record<MessageParamNames<K>, MessageParam> };
}[MessageKey];

/** Every key of the table. */
export const messageKeys = Object.keys(table) as MessageKey[];

/** Whether `text` is a key of the table (a zod issue's message may be one). */
export const isMessageKey = (text: string): text is MessageKey => Object.hasOwn(table, text);

/** The message `key` in `language`, its `{name}`s filled in (a parameter that is a key said in `language` too). */
export function renderMessage(key: MessageKey, language: Language, params: MessageParams = {}): string {
  return table[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'string' && isMessageKey(value) ? table[value][language] : String(value);
  });
}

/**
 * A key as a zod schema's error (`z.email({ error: issueKey('email_invalid') })`): the field
 * issue then carries the key as its code and the English as its message (lib/errors.ts
 * `issuesOf`). Typed, so a wrong key does not compile; zod's messages take no parameters.
 */
export const issueKey = (key: PlainMessageKey): PlainMessageKey => key;
