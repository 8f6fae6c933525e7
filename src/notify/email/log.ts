import type { Logger } from '../../lib/log.ts';
import { logTransport } from '../log-transport.ts';
import type { MailMessage, MailTransport } from './types.ts';

/** Email when no SMTP server is configured: logs the recipient's domain and the subject only. */
export const logMailTransport = (log: Logger): MailTransport =>
  logTransport(
    log,
    'email not sent (no --smtp-url configured)',
    'no email server',
    (message: MailMessage) => ({
      toDomain: message.to.split('@')[1],
      subject: message.subject,
    }),
  );
