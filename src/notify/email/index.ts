import type { Logger } from '../../lib/log.ts';
import { logMailTransport } from './log.ts';
import { smtpTransport } from './smtp.ts';
import type { MailTransport } from './types.ts';

export { logMailTransport } from './log.ts';
export { smtpTransport } from './smtp.ts';
export { type MailMessage, type MailTransport, PermanentMailError } from './types.ts';

/** SMTP when configured, else the log driver. */
export function mailTransportFor(config: { smtpUrl: string; mailFrom: string }, log: Logger): MailTransport {
  return config.smtpUrl
    ? smtpTransport({ url: config.smtpUrl, from: config.mailFrom })
    : logMailTransport(log);
}
