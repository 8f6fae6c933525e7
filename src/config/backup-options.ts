import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { int, option } from './option-spec.ts';

const backupTarget = z
  .string()
  .trim()
  .refine((v) => !v.startsWith('s3:') || /^s3:\/\/[^/]+/.test(v), 'an S3 target is s3://bucket/prefix');
const cronExpression = z
  .string()
  .trim()
  .refine((v) => {
    try {
      CronExpressionParser.parse(v);
      return true;
    } catch {
      return false;
    }
  }, 'not a cron expression');

/**
 * Scheduled backups (serve and worker run them; doctor and the Backups page report them). None
 * without `--backup-to`; with it, one of `--backup-recipient` and `--backup-passphrase-file` is
 * required (the backups area says so at start-up).
 */
export const backupOptions = {
  backupTo: option('backup-to <dir|url>', backupTarget, '', {
    accepts: 'empty, a folder path, or s3://bucket/prefix',
    describe:
      'Make scheduled backups (encrypted archives, as `clinicbox backup` writes) into this folder or S3 prefix (s3:// uses the --s3-* settings); empty = no scheduled backups.',
  }),
  backupSchedule: option('backup-schedule <cron>', cronExpression, '30 2 * * *', {
    accepts: 'a cron expression (5 fields, e.g. "30 2 * * *")',
    describe: 'When scheduled backups run, read in the clinic’s time zone (only with --backup-to).',
  }),
  backupRecipient: option('backup-recipient <age1…>', z.string().trim(), '', {
    accepts: 'empty or age X25519 recipients (public keys), comma-separated',
    describe:
      'Encrypt scheduled backups to these age public keys (made with age-keygen; keep the identity away from this machine). Preferred over a passphrase.',
  }),
  backupPassphraseFile: option('backup-passphrase-file <file>', z.string().trim(), '', {
    accepts: 'empty or a path to a file whose first line is the passphrase',
    describe: 'Encrypt scheduled backups with this passphrase (age scrypt) instead of recipients.',
  }),
  backupKeepDaily: option('backup-keep-daily <n>', int(0, 366), 7, {
    accepts: 'a whole number 0–366',
    describe: 'Retention: keep the newest backup of each of the last N days that have one.',
  }),
  backupKeepWeekly: option('backup-keep-weekly <n>', int(0, 520), 4, {
    accepts: 'a whole number 0–520',
    describe: 'Retention: keep the newest backup of each of the last N ISO weeks that have one.',
  }),
  backupKeepMonthly: option('backup-keep-monthly <n>', int(0, 1200), 12, {
    accepts: 'a whole number 0–1200',
    describe:
      'Retention: keep the newest backup of each of the last N months that have one (the newest backup is always kept; only archives Clinicbox named are ever deleted).',
  }),
};
