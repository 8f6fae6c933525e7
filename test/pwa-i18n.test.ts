import { describe, expect, it } from 'vitest';
import { addDays, createI18n, localDate, pickLanguage } from '../mobile-pwa/src/i18n.ts';

/** The patient app's language choice and its dates: always the clinic's zone, the patient's words. */
describe('patient app i18n', () => {
  it('picks the saved language, else the browser’s first supported one, else English', () => {
    expect(pickLanguage('fr', ['en-GB'])).toBe('fr');
    expect(pickLanguage(null, ['de-DE', 'fr-CA', 'en'])).toBe('fr');
    expect(pickLanguage(undefined, ['de', 'es'])).toBe('en');
    expect(pickLanguage('xx', [])).toBe('en');
  });

  it('shows times in the clinic’s zone, whatever zone the phone is in, across a DST change', () => {
    const paris = createI18n('en', 'en-GB', 'Europe/Paris');
    expect(paris.time('2026-03-27T08:00:00Z')).toBe('09:00'); // CET
    expect(paris.time('2026-03-30T08:00:00Z')).toBe('10:00'); // CEST
    const newYork = createI18n('en', 'en-US', 'America/New_York');
    expect(newYork.time('2026-03-30T13:00:00Z')).toMatch(/^09:00\s?AM$/);
  });

  it('formats in the chosen language and fills in variables', () => {
    const fr = createI18n('fr', 'fr-FR', 'Europe/Paris');
    expect(fr.day('2026-03-03')).toBe('mardi 3 mars');
    expect(fr.t('hello', { name: 'Maya' })).toBe('Bonjour Maya');
    expect(createI18n('en', 'en-GB', 'UTC').t('minutes', { n: 30 })).toBe('30 min');
  });

  it('turns an instant into the clinic-local date, and adds days to a date', () => {
    // 23:30 UTC on the 28th is already the 29th in Paris.
    expect(localDate('2026-03-28T23:30:00Z', 'Europe/Paris')).toBe('2026-03-29');
    expect(localDate('2026-03-28T23:30:00Z', 'America/New_York')).toBe('2026-03-28');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
