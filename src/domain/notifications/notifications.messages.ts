import { defineMessage } from '../area.ts';
import type { MessageResolver } from './messages.ts';

/** "Send a test" from the settings page or `clinicbox doctor`: proves a transport works. */
export const testMessage = defineMessage({
  type: 'test',
  label: 'Test message',
  essential: true,
  channels: ['email', 'sms'],
  variables: ['clinicName'],
  examples: {},
  templates: {
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
});

/** The notifications area's own message: nothing to look up, the clinic's name is filled in for all. */
export const notificationsMessages = (): MessageResolver => ({
  messages: [testMessage],
  resolve: async () => ({ vars: {} }),
});
