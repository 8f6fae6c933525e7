import { readFileSync } from 'node:fs';
import { type BackupEncryption, recipientsIn } from '../../backup/index.ts';
import { type Config, UsageError } from '../../config/index.ts';

/** What scheduled backups run with, read once from the config at start-up. */
export interface BackupSettings {
  /** Where archives go: a folder (as given) or s3://bucket/prefix. */
  target: string;
  /** Cron, read in the clinic's time zone. */
  schedule: string;
  encryption: BackupEncryption;
  keep: RetentionCounts;
}

/** Grandfather-father-son retention: how many days, ISO weeks and months keep their newest archive. */
export interface RetentionCounts {
  daily: number;
  weekly: number;
  monthly: number;
}

/**
 * The age recipients a flag gives (as `recipientsIn` reads them): a bad one is a
 * UsageError, its message after `prefix` (the flag's name, where the message needs it).
 */
export function usableRecipients(text: string, prefix = ''): string[] {
  try {
    return recipientsIn(text);
  } catch (e) {
    throw new UsageError(`${prefix}${(e as Error).message}`);
  }
}

/**
 * The scheduled backups' settings, or null when `--backup-to` is empty (no schedule). Fails fast
 * with a UsageError naming the flag: a target without exactly one way to encrypt, recipients that
 * are not age recipients, a passphrase file that cannot be read or starts with an empty line.
 */
export function backupSettingsFrom(config: Config): BackupSettings | null {
  const keep = {
    daily: config.backupKeepDaily,
    weekly: config.backupKeepWeekly,
    monthly: config.backupKeepMonthly,
  };
  if (!config.backupTo) {
    if (config.backupRecipient || config.backupPassphraseFile)
      throw new UsageError(
        '--backup-recipient and --backup-passphrase-file only apply with --backup-to (where to write the scheduled backups)',
      );
    return null;
  }
  const base = { target: config.backupTo, schedule: config.backupSchedule, keep };
  if (config.backupRecipient && config.backupPassphraseFile) {
    throw new UsageError('give --backup-recipient or --backup-passphrase-file, not both');
  }
  if (config.backupRecipient) {
    const recipients = usableRecipients(config.backupRecipient, '--backup-recipient: ');
    return { ...base, encryption: { kind: 'recipients', recipients } };
  }
  if (config.backupPassphraseFile) {
    let first: string;
    try {
      first = readFileSync(config.backupPassphraseFile, 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (e) {
      throw new UsageError(
        `--backup-passphrase-file: cannot read ${config.backupPassphraseFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    if (!first)
      throw new UsageError(
        `--backup-passphrase-file: the first line of ${config.backupPassphraseFile} is empty`,
      );
    return { ...base, encryption: { kind: 'passphrase', passphrase: first } };
  }
  throw new UsageError(
    '--backup-to is set but backups are always encrypted: give --backup-recipient age1… (made with age-keygen; preferred) or --backup-passphrase-file FILE',
  );
}
