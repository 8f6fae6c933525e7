import type { SendOutcome } from '../log-transport.ts';

/**
 * Sending email: one method, chosen once at start-up (SMTP when --smtp-url is set, else the log
 * driver). Callers are job handlers; a transport throws `PermanentMailError` when retrying cannot
 * help (the server refused the message for good) and any other error when it may.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Files sent along (a calendar invitation as text, an invoice's PDF as bytes). */
  attachments?: { filename: string; content: string | Buffer; contentType: string }[];
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>;
  /** Same key, same message: lets a provider or a re-run recognise a duplicate. */
  idempotencyKey?: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'log';
  /** The provider's id of the message, or (the log driver) why nothing was sent. */
  send(message: MailMessage): Promise<SendOutcome>;
}

export class PermanentMailError extends Error {
  override name = 'PermanentMailError';
}
