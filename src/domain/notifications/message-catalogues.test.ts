import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineMessages } from '../area.ts';
import { messageRegistry } from './message-registry.ts';
import { clinicVariables, languages } from './messages.ts';
import { variablesIn } from './render.ts';

/*
 * Every area's shipped wording lives in its `<area>.messages.json`, read by `defineMessages` in
 * the `<area>.messages.ts` beside it. These tests read every catalogue in src/domain, so a message
 * type added or reworded anywhere is held to the same rules without being listed here.
 */
const domain = join(dirname(fileURLToPath(import.meta.url)), '..');
const catalogueFiles = readdirSync(domain, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.messages.json'))
  .map((f) => join(domain, f));
const catalogues = catalogueFiles.map((file) => ({
  name: relative(domain, file),
  file,
  messages: Object.values(defineMessages(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)),
}));

describe('the message catalogues', () => {
  it('are found: one per area that sends messages, each read by the module beside it', () => {
    expect(catalogues.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'accounts/accounts.messages.json',
        'audit/audit.messages.json',
        'documents/documents.messages.json',
        'notifications/notifications.messages.json',
        'patients/patients.messages.json',
        'scheduling/scheduling.messages.json',
      ]),
    );
    for (const { file } of catalogues) {
      const module = readFileSync(file.replace(/\.json$/, '.ts'), 'utf8');
      expect(module, file).toContain(`from './${file.split('/').pop()}' with { type: 'json' }`);
    }
  });

  it('give every type wording for each of its channels in every language, using only its declared variables', () => {
    const types = catalogues.flatMap((c) => c.messages);
    expect(types.length).toBeGreaterThan(15);
    for (const d of types) {
      expect(d.channels.length, d.type).toBeGreaterThan(0);
      expect(Object.keys(d.templates).sort(), d.type).toEqual([...d.channels].sort());
      for (const channel of d.channels) {
        for (const language of languages) {
          const template = d.templates[channel]?.[language];
          expect(template?.body, `${d.type} ${channel} ${language}`).toMatch(/\S/);
          const used = variablesIn(`${template?.subject ?? ''} ${template?.body ?? ''}`);
          const undeclared = used.filter((v) => !d.variables.includes(v));
          expect(undeclared, `${d.type} ${channel} ${language}`).toEqual([]);
        }
      }
      const own = d.variables.filter((v) => !(clinicVariables as readonly string[]).includes(v));
      expect(
        own.filter((v) => d.examples[v] === undefined),
        `${d.type} examples`,
      ).toEqual([]);
    }
  });

  it('register together without a complaint (no type twice, the template rules kept)', () => {
    const registry = messageRegistry();
    for (const c of catalogues) registry.register({ messages: c.messages, resolve: async () => null });
    expect(registry.list().length).toBe(catalogues.reduce((n, c) => n + c.messages.length, 0));
  });

  it('refuses a catalogue entry of the wrong shape when the module loads', () => {
    const entry = {
      label: 'Visit booked',
      essential: false,
      channels: ['email'],
      variables: ['clinicName'],
      examples: {},
      templates: { email: { en: { body: 'Hello' }, fr: { body: 'Bonjour' } } },
    };
    expect(defineMessages({ 'visit-booked': entry })['visit-booked']).toMatchObject({
      type: 'visit-booked',
      label: 'Visit booked',
    });
    expect(() => defineMessages({ 'visit-booked': { ...entry, channels: ['fax'] } })).toThrow(/visit-booked/);
    expect(() =>
      defineMessages({ 'visit-booked': { ...entry, templates: { email: { en: { body: 'Hello' } } } } }),
    ).toThrow(/visit-booked/);
    expect(() => defineMessages({ 'visit-booked': { ...entry, wording: 'x' } })).toThrow(/visit-booked/);
  });
});
