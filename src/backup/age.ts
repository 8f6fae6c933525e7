import { randomBytes, scrypt } from 'node:crypto';
import { Decrypter, Encrypter, identityToRecipient, type Recipient, Stanza } from 'age-encryption';
import {
  chachaReady,
  onSecondThread,
  openPayload,
  payloadKey,
  sealChunk,
  sealPayload,
  TAG,
} from './age-payload.ts';
import { ArchiveBlocks } from './archive-blocks.ts';

export { hasNativeChacha } from './age-payload.ts';

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

/** The age recipients of a comma-separated list (blanks dropped), checked (see checkRecipients). */
export function recipientsIn(list: string): string[] {
  const recipients = list
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  checkRecipients(recipients);
  return recipients;
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

/**
 * The archive's bytes, encrypted: a standard age file. The header (recipients' stanzas, MAC) is
 * made by the age library; on Node the payload — ChaCha20-Poly1305 STREAM in 64 KiB chunks, as
 * age-encryption.org/v1 specifies — is sealed by node:crypto (native, ~10× the library's pure-JS
 * speed). Bun has no ChaCha20 in node:crypto: there the system's libcrypto seals it through FFI,
 * or else libsodium's WebAssembly (chacha.ts, ~2× the library); only without either does the
 * library encrypt the payload as well.
 */
export async function encryptStream(
  source: AsyncIterable<Uint8Array>,
  encryption: BackupEncryption,
): Promise<AsyncIterable<Uint8Array>> {
  if (await chachaReady()) {
    const head = await nativeHeader(encryption);
    if (head) return sealPayload(source, head.prefix, head.payloadKey);
  }
  const e = new Encrypter();
  if (encryption.kind === 'passphrase') {
    e.setPassphrase(encryption.passphrase);
    if (encryption.workFactor) e.setScryptWorkFactor(encryption.workFactor);
  } else {
    for (const r of encryption.recipients) e.addRecipient(libraryRecipient(r));
  }
  return fromWebStream(await e.encrypt(webStream(source)));
}

/**
 * A backup's archive: blocks (archive-blocks.ts) that its threads hash and seal (node:crypto's
 * ChaCha20-Poly1305 on Node; under Bun libcrypto's through FFI, or libsodium's); `encrypted` turns
 * their output into the age file (the header before it; or, where there is no ChaCha20 to call,
 * the plaintext through the age library).
 */
export async function archiveSealer(encryption: BackupEncryption): Promise<{
  blocks: ArchiveBlocks;
  encrypted(output: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}> {
  if ((await chachaReady()) && onSecondThread()) {
    const head = await nativeHeader(encryption);
    if (head) {
      return {
        blocks: new ArchiveBlocks(head.payloadKey),
        async *encrypted(output) {
          yield head.prefix;
          yield* output;
        },
      };
    }
  }
  return {
    blocks: new ArchiveBlocks(null),
    async *encrypted(output) {
      yield* await encryptStream(output, encryption);
    },
  };
}

/**
 * The plaintext of an archive; rejects at once (header) when the passphrase or identity is wrong.
 * `inPlace`: `source`'s pieces are handed over (nothing reads them after it gives them, as with a
 * file's or an object's read stream): they may be decrypted where they lie (openPayload).
 */
export async function decryptStream(
  source: AsyncIterable<Uint8Array>,
  secret: BackupSecret,
  options: { inPlace?: boolean } = {},
): Promise<AsyncIterable<Uint8Array>> {
  if (await chachaReady()) return openNative(source, secret, options.inPlace ?? false);
  const d = decrypterFor(secret);
  try {
    return fromWebStream(await d.decrypt(webStream(source)));
  } catch (e) {
    throw wrongKey(e, secret);
  }
}

const wrongKey = (e: unknown, secret: BackupSecret) =>
  new BackupKeyError(
    `cannot open the archive: ${(e as Error).message} (wrong ${secret.kind === 'passphrase' ? 'passphrase' : 'identity'}, or not a Clinicbox backup)`,
  );

function libraryRecipient(r: string): string {
  try {
    new Encrypter().addRecipient(r);
    return r;
  } catch (err) {
    throw new BackupKeyError(`not an age recipient (age1…): ${(err as Error).message}`);
  }
}

/**
 * The header the age library writes for `encryption`, with the 16-byte payload nonce after it,
 * and the payload key (HKDF-SHA-256 of the file key, salt = nonce, info "payload"). The library
 * makes the file key and the header; a recipient of ours in front of the real ones sees the file
 * key as the library hands it to them. Null when the library's internals are not as expected.
 */
async function nativeHeader(
  encryption: BackupEncryption,
): Promise<{ prefix: Buffer; payloadKey: Buffer } | null> {
  let real: Recipient[];
  if (encryption.kind === 'passphrase') {
    real = [scryptRecipient(encryption.passphrase, encryption.workFactor ?? 18)];
  } else {
    const inner = new Encrypter();
    for (const r of encryption.recipients) inner.addRecipient(libraryRecipient(r));
    const made = (inner as unknown as { recipients?: unknown }).recipients;
    if (
      !Array.isArray(made) ||
      made.length !== encryption.recipients.length ||
      !made.every((m) => typeof (m as Recipient)?.wrapFileKey === 'function')
    ) {
      return null;
    }
    real = made as Recipient[];
  }
  let fileKey: Uint8Array | null = null;
  const e = new Encrypter();
  e.addRecipient({
    async wrapFileKey(key) {
      fileKey = key;
      const stanzas: Stanza[] = [];
      for (const r of real) stanzas.push(...(await r.wrapFileKey(key)));
      return stanzas;
    },
  });
  // An empty file: header, nonce, and one sealed empty chunk (16 bytes) that is dropped.
  const empty = Buffer.from(await e.encrypt(new Uint8Array(0)));
  if (!fileKey) return null;
  const prefix = empty.subarray(0, empty.length - TAG);
  const nonce = prefix.subarray(prefix.length - 16);
  return { prefix, payloadKey: payloadKey(fileKey, nonce) };
}

/**
 * age's scrypt recipient (age-encryption.org/v1/scrypt) with node:crypto's scrypt, several times
 * faster than the library's pure-JS one: salt 16 random bytes, key = scrypt(passphrase,
 * "age-encryption.org/v1/scrypt" || salt, N = 2^logN, r = 8, p = 1), the file key sealed with
 * ChaCha20-Poly1305 under a zero nonce. The library's Decrypter opens it (tested).
 */
function scryptRecipient(passphrase: string, logN: number): Recipient {
  return {
    async wrapFileKey(fileKey) {
      const salt = randomBytes(16);
      const N = 2 ** logN;
      const key = await new Promise<Buffer>((resolve, reject) =>
        scrypt(
          passphrase,
          Buffer.concat([Buffer.from('age-encryption.org/v1/scrypt'), salt]),
          32,
          { N, r: 8, p: 1, maxmem: 256 * N * 8 + (1 << 24) },
          (err, k) => (err ? reject(err) : resolve(k)),
        ),
      );
      const body = sealChunk(key, Buffer.alloc(12), fileKey);
      return [new Stanza(['scrypt', salt.toString('base64').replace(/=+$/, ''), String(logN)], body)];
    },
  };
}

/** Reads from `it` until `buf` (what was read so far) holds at least `size` bytes. */
async function readAtLeast(
  it: AsyncIterator<Uint8Array>,
  buf: Buffer,
  size: number,
  limit = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
  const parts = [buf];
  let have = buf.length;
  while (have < size && have < limit) {
    const { value, done } = await it.next();
    if (done) break;
    parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    have += value.byteLength;
  }
  return parts.length === 1 ? buf : Buffer.concat(parts, have);
}

/** Where the age header ends (after its `---` MAC line), or -1. */
function headerEnd(bytes: Buffer): number {
  const mac = bytes.indexOf('\n--- ');
  const end = mac < 0 ? -1 : bytes.indexOf('\n', mac + 1);
  return end < 0 ? -1 : end + 1;
}

async function openNative(
  source: AsyncIterable<Uint8Array>,
  secret: BackupSecret,
  inPlace: boolean,
): Promise<AsyncIterable<Uint8Array>> {
  const it = source[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let end = -1;
  // The header is a few hundred bytes; a read gives more, so this loops once or twice.
  while (end < 0 && buf.length < 1 << 20) {
    const more = await readAtLeast(it, buf, buf.length + 1);
    if (more.length === buf.length) break;
    buf = more;
    end = headerEnd(buf);
  }
  if (end < 0) {
    await it.return?.();
    throw new BackupKeyError('cannot open the archive: no age header (not a Clinicbox backup?)');
  }
  let fileKey: Uint8Array;
  try {
    fileKey = await decrypterFor(secret).decryptHeader(buf.subarray(0, end));
  } catch (e) {
    await it.return?.();
    throw wrongKey(e, secret);
  }
  buf = await readAtLeast(it, buf, end + 16);
  if (buf.length < end + 16) throw new BackupKeyError('cannot open the archive: it ends inside its header');
  const key = payloadKey(fileKey, buf.subarray(end, end + 16));
  return openPayload(it, buf.subarray(end + 16), key, inPlace);
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
  const end = headerEnd(text);
  if (end < 0) throw new BackupKeyError('cannot open the archive: no age header (not a Clinicbox backup?)');
  try {
    return { kind: 'file-key', fileKey: await decrypterFor(secret).decryptHeader(text.subarray(0, end)) };
  } catch (e) {
    throw wrongKey(e, secret);
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
