import type { Logger } from '../lib/log.ts';

/**
 * What a transport answers: the provider's id of the message it handed over, or — the log
 * driver — that nothing left the machine and why ("no SMS provider"), so the delivery log says
 * "not sent" instead of "sent".
 */
export type SendOutcome =
  | { providerId: string; notSent?: undefined }
  | { providerId?: undefined; notSent: string };

/**
 * The driver used when no provider of a channel is configured: nothing leaves the machine. Each
 * message is logged as a warning with what `describe` picks of it — never the text, which may
 * hold sign-in links or codes — and answered as `{ notSent: reason }`.
 */
export function logTransport<M>(
  log: Logger,
  warning: string,
  reason: string,
  describe: (message: M) => Record<string, unknown>,
) {
  return {
    kind: 'log' as const,
    async send(message: M): Promise<SendOutcome> {
      log.warn(warning, describe(message));
      return { notSent: reason };
    },
  };
}
