import { PermanentSmsError, type SmsMessage, type SmsTransport } from './types.ts';

/**
 * Twilio's REST API (Messages resource): form-encoded To/From/Body with HTTP basic auth (account
 * SID and auth token). `apiUrl` is Twilio's unless a test points it at a local stand-in.
 */
export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  apiUrl?: string;
  timeoutMs?: number;
}

export function twilioTransport(options: TwilioOptions): SmsTransport {
  const base = (options.apiUrl || 'https://api.twilio.com').replace(/\/$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    kind: 'twilio',
    async send(message: SmsMessage) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ To: message.to, From: options.from, Body: message.text }).toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new Error(`could not reach Twilio (${(e as Error).message})`);
      }
      const answer = (await res.json().catch(() => ({}))) as { sid?: string; code?: number };
      if (res.status >= 400 && res.status < 500) {
        throw new PermanentSmsError(
          `Twilio refused the message (${res.status}${answer.code ? `, code ${answer.code}` : ''})`,
        );
      }
      if (!res.ok || !answer.sid) throw new Error(`Twilio answered ${res.status}`);
      return { providerId: answer.sid };
    },
  };
}
