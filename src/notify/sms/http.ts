import { PermanentSmsError, type SmsMessage, type SmsTransport } from './types.ts';

/**
 * Any HTTP SMS gateway: a URL, a method, a JSON body template whose `{{to}}` and `{{text}}` are
 * filled in (JSON-escaped), and an optional header such as `Authorization: Bearer …`. 2xx is
 * sent (the provider id is the answer's `id`, `messageId` or `sid` when it has one); 4xx is
 * permanent; 5xx, timeouts and network errors are retried by the job.
 */
export interface HttpSmsOptions {
  url: string;
  method?: string;
  bodyTemplate?: string;
  /** "Header-Name: value". */
  authHeader?: string;
  timeoutMs?: number;
}

export const DEFAULT_SMS_BODY = '{"to":"{{to}}","text":"{{text}}"}';

const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);

export function httpSmsTransport(options: HttpSmsOptions): SmsTransport {
  const template = options.bodyTemplate || DEFAULT_SMS_BODY;
  const header = options.authHeader ? /^([^:]+):\s*(.*)$/.exec(options.authHeader) : null;
  return {
    kind: 'http',
    async send(message: SmsMessage) {
      const body = template
        .replaceAll('{{to}}', jsonEscape(message.to))
        .replaceAll('{{text}}', jsonEscape(message.text));
      let res: Response;
      try {
        res = await fetch(options.url, {
          method: options.method ?? 'POST',
          headers: {
            'content-type': 'application/json',
            ...(header ? { [header[1]!.trim()]: header[2]! } : {}),
            ...(message.idempotencyKey ? { 'idempotency-key': message.idempotencyKey } : {}),
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new Error(`could not reach the SMS gateway (${(e as Error).message})`);
      }
      const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.status >= 400 && res.status < 500) {
        throw new PermanentSmsError(`the SMS gateway refused the message (${res.status})`);
      }
      if (!res.ok) throw new Error(`the SMS gateway answered ${res.status}`);
      const id = answer.id ?? answer.messageId ?? answer.sid;
      return {
        providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : `http-${Date.now()}`,
      };
    },
  };
}
