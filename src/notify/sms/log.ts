import type { Logger } from '../../lib/log.ts';
import { logTransport } from '../log-transport.ts';
import type { SmsMessage, SmsTransport } from './types.ts';

/** SMS when no provider is configured: logs the number's last two digits and the length only. */
export const logSmsTransport = (log: Logger): SmsTransport =>
  logTransport(
    log,
    'SMS not sent (no SMS provider configured)',
    'no SMS provider',
    (message: SmsMessage) => ({
      toEnding: message.to.slice(-2),
      length: message.text.length,
    }),
  );
