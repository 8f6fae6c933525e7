/**
 * The app's words in English and French, and dates in the patient's language but always in the
 * clinic's time zone (an appointment at 09:00 in Paris stays 09:00 on a phone set to New York).
 * Intl does the formatting; no date library is needed in the browser.
 */
import { en } from './words-en.ts';
import { fr } from './words-fr.ts';

export type MessageKey = keyof typeof en;
/** A message said by count: its `<name>_one`, `<name>_other`… keys (Intl.PluralRules categories). */
export type CountKey = { [K in MessageKey]: K extends `${infer Name}_other` ? Name : never }[MessageKey];
export type Messages = Record<MessageKey, string>;

export const languages = { en: 'English', fr: 'Français' } as const;
export type Language = keyof typeof languages;
const catalogues: Record<Language, Messages> = { en, fr };

/** The patient's saved choice, else the browser's first supported language, else English. */
export function pickLanguage(preferred: string | null | undefined, browser: readonly string[]): Language {
  for (const tag of [preferred, ...browser]) {
    const base = tag?.toLowerCase().split('-')[0];
    if (base && base in catalogues) return base as Language;
  }
  return 'en';
}

export interface I18n {
  lang: Language;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** "Tuesday 3 March, 09:30" in the clinic's zone. */
  dateTime(iso: string): string;
  /** "Tuesday 3 March" for a clinic-local YYYY-MM-DD. */
  day(isoDate: string): string;
  /** "09:30" in the clinic's zone. */
  time(iso: string): string;
  /** `{n}` with the words the language's plural rules pick: "1 time", "2 times", "0 horaire". */
  count(key: CountKey, n: number): string;
  /** "10 October 1990" for a YYYY-MM-DD (a date of birth: with its year, no weekday). */
  fullDate(isoDate: string): string;
  /** "10:42" on this phone's own clock (a wait on this phone, not a time at the clinic). */
  clock(at: number | Date): string;
}

export function createI18n(lang: Language, locale: string, timeZone: string): I18n {
  const messages = catalogues[lang];
  const zone = { timeZone };
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    ...zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  const dayFormat = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });
  const timeFormat = new Intl.DateTimeFormat(locale, { ...zone, hour: '2-digit', minute: '2-digit' });
  const fullDateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'long' });
  const clockFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const plurals = new Intl.PluralRules(lang);
  const t: I18n['t'] = (key, vars) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
  return {
    lang,
    t,
    count: (key, n) => {
      const exact = `${key}_${plurals.select(n)}`;
      return t((exact in messages ? exact : `${key}_other`) as MessageKey, { n });
    },
    fullDate: (isoDate) => fullDateFormat.format(new Date(`${isoDate}T12:00:00Z`)),
    clock: (at) => clockFormat.format(at),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    day: (isoDate) => dayFormat.format(new Date(`${isoDate}T12:00:00Z`)),
    time: (iso) => timeFormat.format(new Date(iso)),
  };
}

/** The clinic-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** YYYY-MM-DD plus n days (calendar arithmetic on the date alone). */
export function addDays(isoDate: string, n: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
