import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  clinicKeys,
  findMasterKey,
  hmacHex,
  isSealedSecret,
  Key,
  loadOrMakeMasterKey,
  MasterKeyError,
  openSecret,
  sealSecret,
} from './crypto.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'clinicbox-key-'));
const base64Key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('the clinic master key', () => {
  it('is made once in the data folder, 0600, and read back the same by the next start', () => {
    const dataPath = join(tempDir(), 'data');
    expect(findMasterKey({ file: '', dataPath, env: {} })).toBeNull();
    const made = loadOrMakeMasterKey({ file: '', dataPath, env: {} });
    expect(made.origin).toBe('made');
    expect(made.path).toBe(join(dataPath, 'master.key'));
    expect(statSync(made.path!).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(made.path!, 'utf8').trim(), 'base64')).toHaveLength(32);
    const again = loadOrMakeMasterKey({ file: '', dataPath, env: {} });
    expect(again.origin).toBe('data-folder');
    expect(hmacHex(again.key, 'x')).toBe(hmacHex(made.key, 'x'));
  });

  it('is taken from --master-key-file (base64 or 32 raw bytes) or CLINICBOX_MASTER_KEY, never both', () => {
    const dir = tempDir();
    const file = join(dir, 'key.b64');
    writeFileSync(file, `${base64Key(1)}\n`, { mode: 0o600 });
    const rawFile = join(dir, 'key.raw');
    writeFileSync(rawFile, Buffer.alloc(32, 1), { mode: 0o644 });
    const fromFile = findMasterKey({ file, dataPath: dir, env: {} })!;
    const fromRaw = findMasterKey({ file: rawFile, dataPath: dir, env: {} })!;
    const fromEnv = findMasterKey({ file: '', dataPath: dir, env: { CLINICBOX_MASTER_KEY: base64Key(1) } })!;
    expect([fromFile.origin, fromRaw.origin, fromEnv.origin]).toEqual(['file', 'file', 'env']);
    expect(new Set([fromFile, fromRaw, fromEnv].map((k) => hmacHex(k.key, 'x'))).size).toBe(1);
    expect(fromFile.openToOthers).toBe(false);
    expect(fromRaw.openToOthers).toBe(true);
    expect(() => findMasterKey({ file, dataPath: dir, env: { CLINICBOX_MASTER_KEY: base64Key(1) } })).toThrow(
      /given twice/,
    );
  });

  it('refuses a key that is not 32 bytes, without repeating it', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    let error: unknown;
    try {
      findMasterKey({ file: '', dataPath: tempDir(), env: { CLINICBOX_MASTER_KEY: short } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MasterKeyError);
    expect((error as Error).message).toMatch(/32 random bytes in base64/);
    expect((error as Error).message).not.toContain(short);
    expect(() => findMasterKey({ file: join(tempDir(), 'none'), dataPath: tempDir(), env: {} })).toThrow(
      /cannot read the master key file/,
    );
  });

  it('derives independent keys per purpose, and no key prints', () => {
    const master = Key.fromBytes(Buffer.alloc(32, 3));
    const keys = clinicKeys(master);
    expect(hmacHex(keys.auditChain, 'x')).not.toBe(hmacHex(keys.secrets, 'x'));
    expect(hmacHex(clinicKeys(master).auditChain, 'x')).toBe(hmacHex(keys.auditChain, 'x'));
    const printed = `${JSON.stringify({ keys, master })} ${inspect({ keys, master })}`;
    expect(printed).not.toMatch(/0303|AwMD|\[3, 3/);
    expect(printed).toContain('hidden');
  });
});

describe('sealed secrets', () => {
  const { secrets } = clinicKeys(Key.fromBytes(Buffer.alloc(32, 5)));

  it('open with the same key and context only, and do not show the secret', () => {
    const sealed = sealSecret(secrets, 'JBSWY3DPEHPK3PXP', 'staff_accounts.totp_secret');
    expect(isSealedSecret(sealed)).toBe(true);
    expect(isSealedSecret('JBSWY3DPEHPK3PXP')).toBe(false);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealSecret(secrets, 'JBSWY3DPEHPK3PXP', 'staff_accounts.totp_secret')).not.toBe(sealed);
    expect(openSecret(secrets, sealed, 'staff_accounts.totp_secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => openSecret(secrets, sealed, 'push.vapid')).toThrow(/does not open/);
    const other = clinicKeys(Key.fromBytes(Buffer.alloc(32, 6))).secrets;
    expect(() => openSecret(other, sealed, 'staff_accounts.totp_secret')).toThrow(/does not open/);
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(() => openSecret(secrets, flipped, 'staff_accounts.totp_secret')).toThrow(/does not open/);
  });
});
