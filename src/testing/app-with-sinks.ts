import type { ParsedMail } from 'mailparser';
import { smtpTransport } from '../notify/email/index.ts';
import { httpSmsTransport } from '../notify/sms/index.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { type TestBrowser, testBrowser } from './browser.ts';
import { type SmsSink, type SmsSinkRequest, startSmsSink } from './peers/sms-sink.ts';
import { type SmtpSink, startSmtpSink } from './peers/smtp-sink.ts';
import { until } from './wait.ts';

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

/**
 * A new browser signed in to the patient app the way a patient does: asks for a code for `email`,
 * reads it from the email the worker sends, and enters it; the verify answer's body (who signed
 * in, or that registration is next).
 */
export async function codeSignIn(
  app: AppWithSinks,
  email: string,
): Promise<{ browser: TestBrowser; body: unknown }> {
  const browser = testBrowser(app.http);
  const seen = app.mailsTo(email).length;
  const started = await browser.json('POST', '/api/v1/auth/start', { email });
  if (started.status !== 202) throw new Error(`asking for a code: ${started.status} ${await started.text()}`);
  const mail = await until(`code email to ${email}`, async () => app.mailsTo(email)[seen]);
  const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
  if (!code) throw new Error(`no code in the email to ${email}`);
  const verified = await browser.json('POST', '/api/v1/auth/verify', { email, code });
  if (verified.status !== 200)
    throw new Error(`entering the code: ${verified.status} ${await verified.text()}`);
  return { browser, body: await verified.json() };
}
