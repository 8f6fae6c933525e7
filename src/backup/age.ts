import { Decrypter, Encrypter, identityToRecipient } from 'age-encryption';

/**
 * The archive's encryption: age (age-encryption.org/v1), so `age -d` opens a backup without
 * Clinicbox. Either a passphrase (scrypt; work factor 18 by default, as the age tool uses) or one
 * or more X25519 recipients (`age1…`; restore then needs the identity, `AGE-SECRET-KEY-1…`).
 */
export type BackupEncryption =
  | { kind: 'passphrase'; passphrase: string; workFactor?: number }
  | { kind: 'recipients'; recipients: string[] };

/** How to open an archive: its passphrase, or age identities. */
export type BackupSecret =
  | { kind: 'passphrase'; passphrase: string }
  | { kind: 'identities'; identities: string[] }
  /** The archive's file key, unwrapped once (scrypt is slow and large: a restore reads twice). */
  | { kind: 'file-key'; fileKey: Uint8Array };

export class BackupKeyError extends Error {
  override name = 'BackupKeyError';
}

export function webStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value instanceof Uint8Array ? value : new Uint8Array(value));
    },
    async cancel(reason) {
      await it.return?.(reason);
    },
  });
}

export async function* fromWebStream(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Throws BackupKeyError naming the first recipient that is not an age recipient. */
export function checkRecipients(recipients: string[]): void {
  for (const r of recipients) {
    try {
      new Encrypter().addRecipient(r);
    } catch (err) {
      throw new BackupKeyError(`${r} is not an age recipient (age1…): ${(err as Error).message}`);
    }
  }
}

export async function encryptStream(
  source: AsyncIterable<Uint8Array>,
  encryption: BackupEncryption,
): Promise<AsyncIterable<Uint8Array>> {
  const e = new Encrypter();
  if (encryption.kind === 'passphrase') {
    e.setPassphrase(encryption.passphrase);
    if (encryption.workFactor) e.setScryptWorkFactor(encryption.workFactor);
  } else {
    for (const r of encryption.recipients) {
      try {
        e.addRecipient(r);
      } catch (err) {
        throw new BackupKeyError(`not an age recipient (age1…): ${(err as Error).message}`);
      }
    }
  }
  return fromWebStream(await e.encrypt(webStream(source)));
}

/** The plaintext of an archive; rejects at once (header) when the passphrase or identity is wrong. */
export async function decryptStream(
  source: AsyncIterable<Uint8Array>,
  secret: BackupSecret,
): Promise<AsyncIterable<Uint8Array>> {
  const d = decrypterFor(secret);
  try {
    return fromWebStream(await d.decrypt(webStream(source)));
  } catch (e) {
    throw new BackupKeyError(
      `cannot open the archive: ${(e as Error).message} (wrong ${secret.kind === 'passphrase' ? 'passphrase' : 'identity'}, or not a Clinicbox backup)`,
    );
  }
}

function decrypterFor(secret: BackupSecret): Decrypter {
  const d = new Decrypter();
  if (secret.kind === 'passphrase') d.addPassphrase(secret.passphrase);
  else if (secret.kind === 'identities') for (const id of secret.identities) d.addIdentity(id);
  else {
    const fileKey = secret.fileKey;
    d.addIdentity({ unwrapFileKey: () => fileKey });
  }
  return d;
}

/**
 * The secret as the archive's file key, unwrapped from its header (the bytes up to and with the
 * `---` line): every later read of the archive then skips the passphrase's scrypt.
 */
export async function unwrapOnce(head: Uint8Array, secret: BackupSecret): Promise<BackupSecret> {
  if (secret.kind === 'file-key') return secret;
  const text = Buffer.from(head);
  const mac = text.indexOf('\n--- ');
  const end = mac < 0 ? -1 : text.indexOf('\n', mac + 1);
  if (end < 0) throw new BackupKeyError('cannot open the archive: no age header (not a Clinicbox backup?)');
  try {
    return { kind: 'file-key', fileKey: await decrypterFor(secret).decryptHeader(text.subarray(0, end + 1)) };
  } catch (e) {
    throw new BackupKeyError(
      `cannot open the archive: ${(e as Error).message} (wrong ${secret.kind === 'passphrase' ? 'passphrase' : 'identity'}, or not a Clinicbox backup)`,
    );
  }
}

/** The recipients (`age1…`) of identity lines (for a test or a hint). */
export const recipientOf = (identity: string): Promise<string> => identityToRecipient(identity);

/** Passphrase / recipient / identity lines of a file: one per line, blank lines and # comments skipped. */
export function secretLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
