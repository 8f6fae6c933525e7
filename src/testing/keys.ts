import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicKeys, Key } from '../lib/crypto.ts';

/**
 * The master key every test app runs with: fixed, so a test can compute what the app writes
 * (a keyed audit hash, a sealed secret) and tests need not say anything about keys.
 */
const testKeyBytes = createHash('sha256').update('clinicbox test master key').digest();

export const testMasterKey: Key = Key.fromBytes(testKeyBytes);
export const testKeys = clinicKeys(testMasterKey);

let keyFile: string | undefined;

/** A 0600 file holding the test master key (made once per test process), for `--master-key-file`. */
export function testMasterKeyFile(): string {
  if (!keyFile) {
    const path = join(mkdtempSync(join(tmpdir(), 'clinicbox-test-key-')), 'master.key');
    writeFileSync(path, `${testKeyBytes.toString('base64')}\n`, { mode: 0o600 });
    keyFile = path;
  }
  return keyFile;
}
