import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { Key, MASTER_KEY_BYTES, MasterKeyError, openSecret, sealSecret } from './crypto.ts';
import { syncFolder, writeDurably } from './durable-file.ts';

/**
 * The files beside a master key file that `clinicbox keys rotate` keeps:
 * - `<file>.next`: the key a rotation is bringing in, made (0600) before anything is sealed with
 *   it, so a rotation cut short resumes with the same key; while it is there, Clinicbox refuses to
 *   start (some secrets are sealed with the old key, some with the new).
 * - `<file>.retired`: the master keys rotated out, one base64 line each, oldest first — never
 *   used to seal again, kept so the audit rows written under them still verify.
 * Every write goes to a temporary file, fsynced, renamed into place, and the folder fsynced.
 */
export const pendingKeyPath = (keyFile: string): string => `${keyFile}.next`;
export const retiredKeysPath = (keyFile: string): string => `${keyFile}.retired`;

/** The retired master keys kept beside `keyFile`, oldest first ([] when there are none). */
export function readRetiredKeys(keyFile: string | null): Key[] {
  if (!keyFile || !existsSync(retiredKeysPath(keyFile))) return [];
  return retiredLines(keyFile).map((line) => keyFromBase64(line, retiredKeysPath(keyFile)));
}

/** The key an unfinished rotation is bringing in, or null. */
export function readPendingKey(keyFile: string): Key | null {
  const path = pendingKeyPath(keyFile);
  return existsSync(path) ? keyFromBase64(readFileSync(path, 'utf8').trim(), path) : null;
}

/** The pending key: the one an interrupted rotation made, else a new one made now (0600). */
export function makePendingKey(keyFile: string): Key {
  const found = readPendingKey(keyFile);
  if (found) return found;
  const bytes = randomBytes(MASTER_KEY_BYTES);
  writeDurably(pendingKeyPath(keyFile), `${bytes.toString('base64')}\n`);
  return Key.fromBytes(bytes);
}

/**
 * Ends a rotation: the key in `keyFile` joins the retired ones (once, however often this runs),
 * then the pending key takes its place. Each step is atomic, so a crash between them leaves a
 * state the next `keys rotate` finishes.
 */
export function retireAndPromote(keyFile: string): void {
  const pending = pendingKeyPath(keyFile);
  if (!existsSync(pending)) throw new MasterKeyError(`no key rotation under way (${pending} is missing)`);
  const raw = readFileSync(keyFile);
  const text = raw.toString('utf8').trim();
  const current =
    raw.length === MASTER_KEY_BYTES
      ? raw.toString('base64')
      : Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64').toString('base64');
  keyFromBase64(current, keyFile);
  const retired = existsSync(retiredKeysPath(keyFile)) ? retiredLines(keyFile) : [];
  if (!retired.includes(current))
    writeDurably(retiredKeysPath(keyFile), `${[...retired, current].join('\n')}\n`);
  renameSync(pending, keyFile);
  syncFolder(dirname(keyFile));
}

/**
 * A sealed value sealed again under `to` (a rotation): null when it is under `to` already (a
 * rotation resumed); throws when it opens with neither key.
 */
export function resealSecret(from: Key, to: Key, sealed: string, context: string): string | null {
  let clear: string;
  try {
    clear = openSecret(from, sealed, context);
  } catch {
    openSecret(to, sealed, context);
    return null;
  }
  return sealSecret(to, clear, context);
}

function retiredLines(keyFile: string): string[] {
  return readFileSync(retiredKeysPath(keyFile), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function keyFromBase64(text: string, where: string): Key {
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || bytes.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`${where}: not a master key (${MASTER_KEY_BYTES} bytes in base64)`);
  }
  return Key.fromBytes(bytes);
}
