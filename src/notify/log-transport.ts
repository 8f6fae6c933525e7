import type { Logger } from '../lib/log.ts';

/**
 * The driver used when no provider of a channel is configured: nothing leaves the machine. Each
 * message "sent" is logged as a warning with what `describe` picks of it — never the text, which
 * may hold sign-in links or codes — and answers a provider id `log-1`, `log-2`…
 */
export function logTransport<M>(
  log: Logger,
  warning: string,
  describe: (message: M) => Record<string, unknown>,
) {
  let n = 0;
  return {
    kind: 'log' as const,
    async send(message: M): Promise<{ providerId: string }> {
      n++;
      log.warn(warning, describe(message));
      return { providerId: `log-${n}` };
    },
  };
}
