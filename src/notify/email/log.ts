import type { Logger } from '../../lib/log.ts';
import type { MailMessage, MailTransport } from './types.ts';

/**
 * The driver used when no SMTP server is configured: nothing leaves the machine. It logs that a
 * message would have gone out — recipient domain and subject only, never the body, which may
 * hold sign-in links or codes.
 */
export function logMailTransport(log: Logger): MailTransport {
  let n = 0;
  return {
    kind: 'log',
    async send(message: MailMessage) {
      n++;
      log.warn('email not sent (no --smtp-url configured)', {
        toDomain: message.to.split('@')[1],
        subject: message.subject,
      });
      return { providerId: `log-${n}` };
    },
  };
}
