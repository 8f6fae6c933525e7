import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

/** `doctor` reports backups as the admins' warning does; a backup target without a key stops start-up. */
describe('backups on the command line', () => {
  it('doctor warns that no backup was ever made (exit 0: nothing is broken yet)', async () => {
    const r = await runCli(['doctor', '--data-dir', join(tempDir(), 'data')]);
    expect(r.stdout).toMatch(
      /^WARNING\s+backups\s+no backup has ever succeeded; no --backup-to, so none are scheduled$/m,
    );
    expect(r.stdout).toMatch(/all good \(warning: backups\)$/m);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 60_000);

  it('--backup-to without --backup-recipient or --backup-passphrase-file is a clear start-up error', async () => {
    const dir = tempDir();
    const r = await runCli(['doctor', '--data-dir', join(dir, 'data'), '--backup-to', join(dir, 'backups')]);
    expect(r.stderr).toMatch(
      /--backup-to is set but backups are always encrypted: give --backup-recipient age1… .* or --backup-passphrase-file FILE/,
    );
    expect(r.code).toBe(2);
    const bad = await runCli([
      'doctor',
      '--data-dir',
      join(dir, 'data'),
      '--backup-to',
      join(dir, 'backups'),
      '--backup-recipient',
      'age1notakey',
    ]);
    expect(bad.stderr).toMatch(/--backup-recipient: age1notakey is not an age recipient/);
    expect(bad.code).toBe(2);
  }, 60_000);

  it('a backup made by `clinicbox backup` (from cron) counts: doctor no longer warns', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    expect((await runCli(['migrate', '--data-dir', data])).code).toBe(0);
    const recipient = await identityToRecipient(await generateX25519Identity());
    const backup = await runCli([
      'backup',
      '--data-dir',
      data,
      '--to',
      join(dir, 'b'),
      '--recipient',
      recipient,
    ]);
    expect(backup.code, backup.stderr).toBe(0);
    const r = await runCli(['doctor', '--data-dir', data]);
    expect(r.stdout).not.toMatch(/^WARNING\s+backups/m);
    expect(r.stdout).toMatch(/^\S+\s+backups\s+last success \S+ \(0\.\d h ago\)/m);
  }, 120_000);
});
