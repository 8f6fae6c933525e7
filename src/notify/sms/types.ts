import type { SendOutcome } from '../log-transport.ts';

/**
 * Sending SMS: one method behind every provider (Twilio's REST API, any HTTP gateway, or the log
 * driver when none is configured). Callers are job handlers; a transport throws `PermanentSmsError`
 * when retrying cannot help (the provider refused the message: 4xx) and any other error when it may
 * (5xx, timeouts, no network).
 */
export interface SmsMessage {
  /** E.164, e.g. +33612345678. */
  to: string;
  text: string;
  /** Same key, same message: lets a provider or a re-run recognise a duplicate. */
  idempotencyKey?: string;
}

export interface SmsTransport {
  readonly kind: 'twilio' | 'http' | 'log';
  /** The provider's id of the message, or (the log driver) why nothing was sent. */
  send(message: SmsMessage): Promise<SendOutcome>;
}

export class PermanentSmsError extends Error {
  override name = 'PermanentSmsError';
}
