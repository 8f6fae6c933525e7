import { type MailMessage, type MailTransport, PermanentMailError } from './types.ts';

/**
 * SMTP through nodemailer. `url` is smtp://user:pass@host:587 (STARTTLS when offered) or
 * smtps://…:465. A 5xx answer is permanent (the job goes dead, visible to the admin); network
 * errors and 4xx are transient (the job retries with backoff).
 */
export function smtpTransport(options: {
  url: string;
  from: string;
  connectionTimeoutMs?: number;
}): MailTransport {
  // nodemailer is loaded with the first email (start-up time and idle memory).
  let transport: Promise<import('nodemailer').Transporter> | undefined;
  const connect = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(
        {
          url: options.url,
          connectionTimeout: options.connectionTimeoutMs ?? 10_000,
          greetingTimeout: options.connectionTimeoutMs ?? 10_000,
          socketTimeout: 30_000,
        },
        { from: options.from },
      ),
    ));
  return {
    kind: 'smtp',
    async send(message: MailMessage) {
      try {
        const info = await (await connect()).sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          ...(message.attachments ? { attachments: message.attachments } : {}),
          ...(message.headers ? { headers: message.headers } : {}),
          ...(message.idempotencyKey ? { messageId: `<${message.idempotencyKey}@clinicbox>` } : {}),
        });
        return { providerId: info.messageId };
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        if (code && code >= 500)
          throw new PermanentMailError(`the mail server refused the message (${code})`);
        throw new Error(`could not reach the mail server (${(e as Error).message})`);
      }
    },
  };
}
