import { defineMessages } from '../area.ts';
import type { MessageResolver } from './messages.ts';
import catalogue from './notifications.messages.json' with { type: 'json' };

const messages = defineMessages(catalogue);

/** "Send a test" from the settings page or `clinicbox doctor`: proves a transport works. */
export const testMessage = messages.test;

/** The notifications area's own message: nothing to look up, the clinic's name is filled in for all. */
export const notificationsMessages = (): MessageResolver => ({
  messages: [testMessage],
  resolve: async () => ({ vars: {} }),
});
