import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { until } from '../wait.ts';

/**
 * A real SMTP server for tests: accepts every message, parses it, keeps it. Can be stopped and
 * started again on the same port (to test delivery when the mail server is down), or told to
 * reject messages permanently (5xx).
 */
export interface SmtpSink {
  url: string;
  port: number;
  messages: ParsedMail[];
  rejectWith: number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** All arrived so far, once there are `count` (throws, naming them, after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let port = 0;
  let server: SMTPServer | undefined;
  const sink: SmtpSink = {
    url: '',
    port: 0,
    messages,
    rejectWith: null,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, _session, callback) {
          if (sink.rejectWith) {
            stream.resume();
            const err = new Error('mailbox unavailable') as Error & { responseCode: number };
            err.responseCode = sink.rejectWith;
            stream.on('end', () => callback(err));
            return;
          }
          simpleParser(stream)
            .then((mail) => {
              messages.push(mail);
              callback();
            })
            .catch(callback);
        },
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
      port = (server.server.address() as AddressInfo).port;
      sink.port = port;
      sink.url = `smtp://127.0.0.1:${port}`;
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
    async waitFor(count, timeoutMs = 10_000) {
      await until(`${count} emails in the SMTP sink`, async () => messages.length >= count, timeoutMs);
      return messages;
    },
  };
  await sink.start();
  return sink;
}
