import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

describe('clinicbox doctor', () => {
  it('checks the installation and sends a test email and SMS through the real transports', async () => {
    const { startSmtpSink } = await import('../src/testing/peers/smtp-sink.ts');
    const { startSmsSink } = await import('../src/testing/peers/sms-sink.ts');
    const mail = await startSmtpSink();
    const sms = await startSmsSink();
    try {
      const dataDir = join(tempDir(), 'data');
      const ok = await runCli([
        'doctor',
        '--data-dir',
        dataDir,
        '--smtp-url',
        mail.url,
        '--sms-http-url',
        `${sms.url}/sms`,
        '--send-test-email',
        'admin@clinic.example',
        '--send-test-sms',
        '+33 6 12 34 56 78',
      ]);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^ok\s+database\s+sqlite/m);
      expect(ok.stdout).toMatch(/^ok\s+test email\s+sent to admin@clinic\.example \(.+; delivery [\w-]+\)$/m);
      expect(ok.stdout).toMatch(/^ok\s+test SMS\s+sent to \+33612345678/m);
      expect(ok.stdout).toContain('all good');
      expect((await mail.waitFor(1))[0]!.subject).toMatch(/: test email$/); // the settings page's message
      expect(JSON.parse((await sms.waitFor(1))[0]!.body).to).toBe('+33612345678');
      // Both are in the delivery log, like the settings page's tests.
      const db = new Database(join(dataDir, 'clinicbox.db'), { readonly: true });
      try {
        const rows = db.prepare('select message_type, channel, status from deliveries').all() as {
          message_type: string;
          channel: string;
          status: string;
        }[];
        expect(rows.map((d) => [d.message_type, d.channel, d.status]).sort()).toEqual([
          ['test', 'email', 'sent'],
          ['test', 'sms', 'sent'],
        ]);
      } finally {
        db.close();
      }

      const bad = await runCli([
        'doctor',
        '--data-dir',
        dataDir,
        '--smtp-url',
        'smtp://127.0.0.1:1',
        '--send-test-email',
        'admin@clinic.example',
      ]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/^PROBLEM\s+test email\s+could not reach the mail server/m);
    } finally {
      await mail.stop();
      await sms.stop();
    }
  }, 60_000);
});
