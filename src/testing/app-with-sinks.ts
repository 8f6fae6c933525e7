import type { ParsedMail } from 'mailparser';
import { smtpTransport } from '../notify/email/index.ts';
import { httpSmsTransport } from '../notify/sms/index.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { type SmsSink, type SmsSinkRequest, startSmsSink } from './peers/sms-sink.ts';
import { type SmtpSink, startSmtpSink } from './peers/smtp-sink.ts';

/** A test app whose worker runs, sending email to a real SMTP sink and SMS to a gateway stand-in. */
export interface AppWithSinks extends TestApp {
  smtp: SmtpSink;
  sms: SmsSink;
  /** The emails so far whose recipients include `address` (any case). */
  mailsTo(address: string): ParsedMail[];
  /** The SMS so far to `phone` (E.164). */
  smsTo(phone: string): SmsSinkRequest[];
}

/**
 * Starts the sinks and the app with its worker (polling every 20 ms unless `config` says
 * otherwise); `destroy()` stops the app, then the sinks.
 */
export async function createAppWithSinks(
  options: Pick<TestAppOptions, 'dialect' | 'now' | 'config'> & {
    /**
     * How long the app waits for the SMTP sink to answer (default 15 s: it is local, or stopped and
     * refusing at once, so waiting longer costs nothing; 5 s was once too short on a loaded CI
     * machine, whose event loop a slow fsync can hold for seconds, and a failed send retries only
     * after 30 s).
     */
    mailTimeoutMs?: number;
  } = {},
): Promise<AppWithSinks> {
  const smtp = await startSmtpSink();
  const sms = await startSmsSink();
  const app = await createTestApp({
    ...(options.dialect ? { dialect: options.dialect } : {}),
    ...(options.now ? { now: options.now } : {}),
    worker: true,
    mail: smtpTransport({
      url: smtp.url,
      from: 'Clinic <desk@clinic.example>',
      connectionTimeoutMs: options.mailTimeoutMs ?? 15_000,
    }),
    sms: httpSmsTransport({ url: `${sms.url}/send`, timeoutMs: 2000 }),
    config: { jobPollInterval: 20, ...options.config },
  });
  await app.start();
  const destroyApp = app.destroy;
  return Object.assign(app, {
    smtp,
    sms,
    mailsTo: (address: string) =>
      smtp.messages.filter((m) =>
        JSON.stringify(m.to ?? '')
          .toLowerCase()
          .includes(address.toLowerCase()),
      ),
    smsTo: (phone: string) => sms.requests.filter((r) => JSON.parse(r.body).to === phone),
    async destroy() {
      await destroyApp();
      await smtp.stop();
      await sms.stop();
    },
  });
}
