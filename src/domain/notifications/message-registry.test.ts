import { describe, expect, it } from 'vitest';
import { defineMessage } from '../area.ts';
import { messageRegistry } from './message-registry.ts';
import type { MessageDefinition } from './messages.ts';

const wording = (body: string, subject = '{{clinicName}}') => ({
  en: { subject, body },
  fr: { subject, body },
});

const visitBooked = defineMessage({
  type: 'visit-booked',
  label: 'Visit booked',
  essential: false,
  channels: ['email', 'sms'],
  variables: ['clinicName', 'when', 'service'],
  examples: { when: 'Monday', service: 'Physiotherapy' },
  templates: { email: wording('{{service}} on {{when}}'), sms: wording('{{clinicName}}: {{when}}') },
});

const registered = (...messages: MessageDefinition[]) => {
  const registry = messageRegistry();
  registry.register({ messages, resolve: async () => null });
  return registry;
};

describe('the message registry', () => {
  it('lists what the areas registered, with their resolver and preview examples', () => {
    const registry = registered(visitBooked);
    expect(registry.list().map((d) => d.type)).toEqual(['visit-booked']);
    expect(registry.find('visit-booked')?.label).toBe('Visit booked');
    expect(registry.find('nothing')).toBeUndefined();
    expect(() => registry.get('nothing')).toThrow(/not registered/);
    expect(registry.resolverOf('visit-booked')).toBeDefined();
    expect(registry.examplesFor('visit-booked')).toMatchObject({
      when: 'Monday',
      clinicName: 'Riverside Physio',
    });
  });

  it('refuses a type registered twice', () => {
    const registry = registered(visitBooked);
    expect(() => registry.register({ messages: [visitBooked], resolve: async () => null })).toThrow(
      /visit-booked has two resolvers/,
    );
  });

  it('refuses shipped wording that breaks the template rules or is missing', () => {
    const healthInSms = {
      ...visitBooked,
      templates: { ...visitBooked.templates, sms: wording('{{service}}') },
    };
    expect(() => registered(healthInSms)).toThrow(/sms template: \{\{service\}\} may appear only/);
    const unknown = { ...visitBooked, templates: { ...visitBooked.templates, sms: wording('{{room}}') } };
    expect(() => registered(unknown)).toThrow(/Unknown variable \{\{room\}\}/);
    const noFrench = {
      ...visitBooked,
      templates: { ...visitBooked.templates, sms: { en: { body: 'x' } } },
    } as unknown as MessageDefinition;
    expect(() => registered(noFrench)).toThrow(/no fr sms template/);
    const extraChannel = { ...visitBooked, templates: { ...visitBooked.templates, push: wording('x') } };
    expect(() => registered(extraChannel)).toThrow(/a push template, not a channel of it/);
    const noExample = { ...visitBooked, examples: { when: 'Monday' } };
    expect(() => registered(noExample)).toThrow(/no example for \{\{service\}\}/);
  });
});
