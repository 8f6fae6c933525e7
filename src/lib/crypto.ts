import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The clinic master key and the keys made from it. The master key is 32 random bytes that never
 * enter the database, a log or a backup in clear: a file given with `--master-key-file`, the
 * environment variable `CLINICBOX_MASTER_KEY` (base64), or `<data-dir>/master.key`, made 0600 at
 * first start. Each use gets its own key derived with HKDF-SHA-256 (`clinicKeys`), so one use can
 * never be turned against another: the audit chain's HMAC, the secrets sealed in the database.
 */

export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_ENV = 'CLINICBOX_MASTER_KEY';
export const MASTER_KEY_FILE_NAME = 'master.key';

const material = new WeakMap<Key, Buffer>();

/**
 * Key bytes that do not print: a Key has no own properties, and its JSON and inspection say
 * only that it is hidden, so a key passed along in `deps` cannot leak into a log line.
 */
export class Key {
  private constructor() {}

  static fromBytes(bytes: Uint8Array): Key {
    const key = new Key();
    material.set(key, Buffer.from(bytes));
    return key;
  }

  toJSON(): string {
    return '[hidden key]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Key [hidden]';
  }
}

const bytesOf = (key: Key): Buffer => material.get(key)!;

/** What each derived key is for: the name is HKDF's `info`, so every purpose has its own key. */
export type KeyPurpose = 'audit-chain' | 'secrets' | 'files';

export function deriveKey(master: Key, purpose: KeyPurpose): Key {
  return Key.fromBytes(
    new Uint8Array(hkdfSync('sha256', bytesOf(master), new Uint8Array(0), `clinicbox ${purpose}`, 32)),
  );
}

/** The keys the app runs with (the master key itself stays in `createApp`). */
export interface ClinicKeys {
  /** Keys the audit log's chain (HMAC-SHA-256). */
  auditChain: Key;
  /** Seals secrets kept in the database (`sealSecret`). */
  secrets: Key;
  /** Wraps each stored file's own data key (storage/). */
  files: Key;
  /**
   * The audit keys of master keys retired by `clinicbox keys rotate`, oldest first: the rows
   * written before a rotation stay keyed with them (lib/keyring.ts keeps the retired keys).
   */
  retiredAuditChain: Key[];
}

export const clinicKeys = (master: Key, retired: Key[] = []): ClinicKeys => ({
  auditChain: deriveKey(master, 'audit-chain'),
  secrets: deriveKey(master, 'secrets'),
  files: deriveKey(master, 'files'),
  retiredAuditChain: retired.map((key) => deriveKey(key, 'audit-chain')),
});

/** HMAC-SHA-256 of `data` under `key`, in hex. */
export const hmacHex = (key: Key, data: string): string =>
  createHmac('sha256', bytesOf(key)).update(data).digest('hex');

// ---------------------------------------------------------------- sealed secrets

const SEALED_PREFIX = 'sealed1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Whether `value` is a `sealSecret` result (a value kept in clear before is not). */
export const isSealedSecret = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(SEALED_PREFIX);

/**
 * Encrypts a secret with AES-256-GCM under `key` (the `secrets` key): `sealed1:` and base64url of
 * IV, tag and ciphertext. `context` (where the value is kept, e.g. the settings key) is
 * authenticated too, so a sealed value copied to another place does not open there.
 */
export function sealSecret(key: Key, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', bytesOf(key), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Opens a `sealSecret` value; throws when the key, the context or a byte of it is wrong. */
export function openSecret(key: Key, sealed: string, context: string): string {
  if (!isSealedSecret(sealed)) throw new Error(`not a sealed secret (${context})`);
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error(`sealed secret too short (${context})`);
  const decipher = createDecipheriv('aes-256-gcm', bytesOf(key), raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error(`sealed secret does not open with this master key (${context})`);
  }
}

/** Compares two strings in constant time (for MACs and hashes). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---------------------------------------------------------------- the master key

/** A master key that cannot be used as given: the message says what to fix (never the key). */
export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

export interface MasterKeySource {
  /** `--master-key-file` (empty: not given). */
  file: string;
  /** The data folder, where `master.key` is made when no key is given. */
  dataPath: string;
  env?: Record<string, string | undefined>;
}

export interface LoadedMasterKey {
  key: Key;
  /** Where it came from: a file given, the environment, the data folder's file, or made now. */
  origin: 'file' | 'env' | 'data-folder' | 'made';
  /** The file it was read from or made in (null for the environment). */
  path: string | null;
  /** The file can be read by users other than its owner. */
  openToOthers: boolean;
}

/**
 * The master key given (`--master-key-file` or `CLINICBOX_MASTER_KEY`, not both) or kept in
 * the data folder; null when there is none yet.
 */
export function findMasterKey(source: MasterKeySource): LoadedMasterKey | null {
  const fromEnv = (source.env ?? process.env)[MASTER_KEY_ENV] ?? '';
  if (source.file && fromEnv) {
    throw new MasterKeyError(
      `the master key is given twice (--master-key-file and ${MASTER_KEY_ENV}): give it once`,
    );
  }
  if (fromEnv)
    return { key: parseKey(fromEnv, MASTER_KEY_ENV), origin: 'env', path: null, openToOthers: false };
  if (source.file) return readKeyFile(source.file, 'file');
  const kept = join(source.dataPath, MASTER_KEY_FILE_NAME);
  return existsSync(kept) ? readKeyFile(kept, 'data-folder') : null;
}

/**
 * `findMasterKey`, else a new key made in `<data-dir>/master.key`, 0600. Two processes starting
 * at once on one data folder agree: each writes its own temporary file and links it into place,
 * which only one can do; the other reads the winner's.
 */
export function loadOrMakeMasterKey(source: MasterKeySource): LoadedMasterKey {
  const found = findMasterKey(source);
  if (found) return found;
  const path = join(source.dataPath, MASTER_KEY_FILE_NAME);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  let made = true;
  try {
    linkSync(temp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    made = false;
  } finally {
    unlinkSync(temp);
  }
  const loaded = readKeyFile(path, 'data-folder');
  return made ? { ...loaded, origin: 'made' } : loaded;
}

function readKeyFile(path: string, origin: 'file' | 'data-folder'): LoadedMasterKey {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new MasterKeyError(
      `cannot read the master key file ${path} (${(e as NodeJS.ErrnoException).code})`,
    );
  }
  // 32 bytes as they are, or their base64 (as made here).
  const key = raw.length === MASTER_KEY_BYTES ? Key.fromBytes(raw) : parseKey(raw.toString('utf8'), path);
  const openToOthers = process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0;
  return { key, origin, path, openToOthers };
}

function parseKey(text: string, where: string): Key {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) || bytes.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(
      `${where}: the master key must be ${MASTER_KEY_BYTES} random bytes in base64 (e.g. openssl rand -base64 32)`,
    );
  }
  return Key.fromBytes(bytes);
}
