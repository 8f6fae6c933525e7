import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isMessageKey, languages, messageKeys, messageParams, renderMessage } from './messages.ts';

const src = fileURLToPath(new URL('../', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.tsx?$/.test(e.name) &&
          !/\.test\.tsx?$/.test(e.name) &&
          join(dir, e.name) !== join(src, 'lib/messages.ts')
        ? [join(dir, e.name)]
        : [],
  );
const paramsOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the patient messages table', () => {
  it('says every message in every language, with the parameters declared for it (and no others)', () => {
    expect(messageKeys.length).toBeGreaterThan(50);
    for (const key of messageKeys) {
      for (const language of languages) {
        expect(renderMessage(key, language), `${key} in ${language}`).toMatch(/\S/);
        expect(paramsOf(renderMessage(key, language)), `${key} in ${language}`).toEqual(
          [...messageParams(key)].sort(),
        );
      }
    }
  });

  it('holds only messages the code still raises (a dropped message cannot linger)', () => {
    const code = sources(src)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = messageKeys.filter((key) => !new RegExp(`['"\`]${key}['"\`]`).test(code));
    expect(unused, 'keys no file of src/ names').toEqual([]);
  });

  it('fills in parameters, saying one that is itself a key in the same language', () => {
    expect(renderMessage('not_found', 'en', { subject: 'that_appointment' })).toBe(
      'That appointment was not found.',
    );
    expect(renderMessage('not_found', 'fr', { subject: 'that_appointment' })).toBe(
      'Ce rendez-vous est introuvable.',
    );
    expect(renderMessage('appointment_not_movable', 'fr', { status: 'status_no_show' })).toBe(
      'Un rendez-vous manqué ne peut pas être déplacé.',
    );
    expect(renderMessage('search_too_long', 'en', { days: 31 })).toBe('Search at most 31 days at a time.');
    expect(renderMessage('passkey_not_added', 'fr', { reason: 'Missing credential ID' })).toBe(
      'La clé d’accès n’a pas pu être ajoutée (Missing credential ID).',
    );
  });

  it('tells keys from English', () => {
    expect(isMessageKey('slot_taken')).toBe(true);
    expect(isMessageKey('That time was just taken. Please choose another.')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
  });
});
