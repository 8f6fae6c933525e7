import { readFileSync } from 'node:fs';
import { type BackupEncryption, type BackupSecret, secretLines } from '../backup/index.ts';
import { int, option, textOption, UsageError } from '../config/index.ts';
import { usableRecipients } from '../domain/backups/index.ts';

/** The flags that say how a backup is encrypted (backup) or opened (restore, backup verify). */
export const secretOptions = {
  passphraseFile: textOption(
    'passphrase-file',
    'file',
    'a path to a file whose first line is the passphrase',
    'Encrypt (backup) or open (restore, verify) the archive with this passphrase (age scrypt).',
  ),
  recipient: textOption(
    'recipient',
    'age1…',
    'one or more age recipients (public keys), comma-separated',
    'backup: encrypt the archive to these age X25519 public keys instead of a passphrase (made with age-keygen); preferred for scheduled backups.',
  ),
  identityFile: textOption(
    'identity-file',
    'file',
    'a path to an age identity file (AGE-SECRET-KEY-1… lines)',
    'restore, verify: open an archive encrypted to recipients with these identities.',
  ),
  passphraseWorkFactor: option('passphrase-work-factor <logN>', int(10, 20), 18, {
    accepts: 'an integer 10–20',
    describe:
      'backup: scrypt work factor (log2 N) of a passphrase; 18 is the age tool’s (about 1 s and 256 MB).',
  }),
};

type SecretValues = {
  passphraseFile: string;
  recipient: string;
  identityFile: string;
  passphraseWorkFactor: number;
};

function passphraseFrom(file: string): string {
  const text = readFileSync(file, 'utf8');
  const first = text.split(/\r?\n/)[0] ?? '';
  if (!first) throw new UsageError(`${file}: the first line (the passphrase) is empty`);
  return first;
}

/** How `backup` encrypts: exactly one of --passphrase-file and --recipient. */
export function encryptionFrom(values: SecretValues): BackupEncryption {
  if (values.passphraseFile && values.recipient) {
    throw new UsageError('give --passphrase-file or --recipient, not both');
  }
  if (values.recipient) return { kind: 'recipients', recipients: usableRecipients(values.recipient) };
  if (values.passphraseFile) {
    return {
      kind: 'passphrase',
      passphrase: passphraseFrom(values.passphraseFile),
      workFactor: values.passphraseWorkFactor,
    };
  }
  throw new UsageError(
    'a backup is always encrypted: give --passphrase-file FILE or --recipient age1… (see age-keygen)',
  );
}

/** How `restore` and `backup verify` open an archive. */
export function secretFrom(values: SecretValues): BackupSecret {
  if (values.passphraseFile && values.identityFile) {
    throw new UsageError('give --passphrase-file or --identity-file, not both');
  }
  if (values.identityFile) {
    return { kind: 'identities', identities: secretLines(readFileSync(values.identityFile, 'utf8')) };
  }
  if (values.passphraseFile) return { kind: 'passphrase', passphrase: passphraseFrom(values.passphraseFile) };
  throw new UsageError('give --passphrase-file FILE (or --identity-file FILE) to open the archive');
}

/** A progress bar on a terminal; otherwise one line per step. */
export function progressReporter(out: (line: string) => void, tty: boolean) {
  let label = '';
  let last = 0;
  const bar = (done: number, total: number) => {
    const width = 24;
    const share = total ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${(done / 1048576).toFixed(1)} MB  ${label.slice(0, 60).padEnd(60)}`,
    );
  };
  return {
    step(line: string) {
      label = line;
      if (!tty) out(line);
    },
    bytes(done: number, total: number) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      bar(done, total);
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}
