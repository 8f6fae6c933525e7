import type { Logger } from '../../lib/log.ts';
import type { SmsMessage, SmsTransport } from './types.ts';

/**
 * The driver used when no SMS provider is configured: nothing leaves the machine. It logs that a
 * message would have gone out — the number's last two digits and the length only, never the text
 * (it may hold a sign-in code).
 */
export function logSmsTransport(log: Logger): SmsTransport {
  let n = 0;
  return {
    kind: 'log',
    async send(message: SmsMessage) {
      n++;
      log.warn('SMS not sent (no SMS provider configured)', {
        toEnding: message.to.slice(-2),
        length: message.text.length,
      });
      return { providerId: `log-${n}` };
    },
  };
}
