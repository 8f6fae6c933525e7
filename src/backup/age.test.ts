import { execFileSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BackupEncryption,
  BackupKeyError,
  type BackupSecret,
  decryptStream,
  encryptStream,
  hasNativeChacha,
  unwrapOnce,
} from './age.ts';
import { loadSodium } from './chacha.ts';
import { libcryptoCandidates } from './openssl-chacha.ts';

/**
 * The archive's encryption is standard age whichever way it is made: what encryptStream writes
 * (node:crypto's ChaCha20-Poly1305 for the payload on Node) the age library opens, and what the
 * library wrote (the first backups) decryptStream opens; sizes around the 64 KiB chunk edges.
 */
let identity = '';
let recipient = '';
beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
});

const SIZES = [0, 1, 65_535, 65_536, 65_537, 131_072, 200_001];
/** Sizes around the edges of the blocks of 16 chunks the cipher's thread takes at a time. */
const BLOCKS = [16 * 65_536, 16 * 65_536 + 1, 2 * 16 * 65_536, 2 * 16 * 65_536 + 70_001];

/** `bytes` handed on in pieces of `piece` bytes (a stream's reads). */
async function* pieces(bytes: Uint8Array, piece: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
  if (!bytes.length) return;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

const libraryOpens = async (cipher: Buffer, secret: { identity?: string; passphrase?: string }) => {
  const d = new Decrypter();
  if (secret.identity) d.addIdentity(secret.identity);
  if (secret.passphrase) d.addPassphrase(secret.passphrase);
  return Buffer.from(await d.decrypt(cipher));
};

describe('backup encryption (age)', () => {
  it('runs natively on Node (the numbers in the README depend on it)', () => {
    expect(hasNativeChacha()).toBe(true);
  });

  it('libsodium (the binary seals with it under Bun) seals the bytes node:crypto seals, and opens them', async () => {
    const sodium = (await loadSodium())!;
    expect(sodium).not.toBeNull();
    for (const size of [0, 1, 16, 65_535, 65_536]) {
      const key = randomBytes(32);
      const nonce = randomBytes(12);
      const plain = randomBytes(size);
      const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      const openssl = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
      const sealed = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plain, null, null, nonce, key);
      expect(Buffer.from(sealed).equals(openssl)).toBe(true);
      const back = sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, openssl, null, nonce, key);
      expect(Buffer.from(back).equals(plain)).toBe(true);
    }
  });

  it('under Bun (the binary’s runtime: no ChaCha20 in node:crypto) the payload is sealed by libcrypto through FFI, and by libsodium when that is off, to the bytes node:crypto seals, on the thread and off it; both open them and refuse damage', {
    timeout: 120_000,
  }, () => {
    const script = join(import.meta.dirname, 'age-seal-check.ts');
    const root = join(import.meta.dirname, '..', '..');
    const run = (cmd: string, args: string[], libcrypto?: string) => {
      const env = { ...process.env };
      delete env.CLINICBOX_BACKUP_LIBCRYPTO;
      if (libcrypto) env.CLINICBOX_BACKUP_LIBCRYPTO = libcrypto;
      return JSON.parse(execFileSync(cmd, [...args, script], { cwd: root, encoding: 'utf8', env })) as {
        bun: boolean;
        backend: string | null;
        opened: boolean;
        refused: Record<string, boolean>;
        hot: boolean;
        sums: Record<string, string>;
      };
    };
    const bunPath = join(root, 'node_modules', '.bin', 'bun');
    const node = run(process.execPath, ['--import', 'tsx']);
    const refused = { flipped: true, lastTag: true, cut: true };
    expect(node).toMatchObject({ bun: false, backend: 'node:crypto', opened: true, refused, hot: true });
    expect(Object.keys(node.sums).length).toBe(20);
    // On the thread and on this one: the same bytes.
    for (const [name, sum] of Object.entries(node.sums)) {
      expect(sum, name).toBe(node.sums[name.replace(/^thread/, 'here')]);
    }
    // Linux has OpenSSL 3 (libcrypto.so.3): the binary's cipher there.
    const ffi = run(bunPath, []);
    expect(ffi).toMatchObject({
      bun: true,
      backend: process.platform === 'linux' ? 'openssl' : expect.anything(),
      opened: true,
      refused,
      hot: true,
    });
    expect(ffi.sums).toEqual(node.sums);
    const sodium = run(bunPath, [], 'none');
    expect(sodium).toMatchObject({ bun: true, backend: 'libsodium', opened: true, refused, hot: true });
    expect(sodium.sums).toEqual(node.sums);
  });

  it('looks for libcrypto where it may be: never Apple’s (it aborts the process), none on Windows, as told by CLINICBOX_BACKUP_LIBCRYPTO', () => {
    expect(libcryptoCandidates('linux', undefined)).toEqual(['libcrypto.so.3', 'libcrypto.so']);
    const mac = libcryptoCandidates('darwin', undefined);
    expect(mac.length).toBeGreaterThan(0);
    for (const path of mac) expect(path).toMatch(/^\/(opt\/homebrew|usr\/local)\/.*libcrypto\.3\.dylib$/);
    expect(libcryptoCandidates('darwin', '/usr/lib/libcrypto.dylib')).toEqual([]);
    expect(libcryptoCandidates('win32', undefined)).toEqual([]);
    expect(libcryptoCandidates('linux', 'none')).toEqual([]);
    expect(libcryptoCandidates('linux', '/opt/ssl/libcrypto.so.3')).toEqual(['/opt/ssl/libcrypto.so.3']);
  });

  it('what encryptStream writes, the age library opens: X25519 and passphrase, every size around the chunk edges', async () => {
    for (const size of [...SIZES, ...BLOCKS]) {
      const plain = randomBytes(size);
      // Small pieces, pieces of exactly a chunk, and large ones holding several chunks and a part.
      for (const piece of [1000, 65_536, 3 * 65_536 + 5, 1 << 20]) {
        const cipher = await collect(
          await encryptStream(pieces(plain, piece), { kind: 'recipients', recipients: [recipient] }),
        );
        expect((await libraryOpens(cipher, { identity })).equals(plain), `size ${size}`).toBe(true);
      }
    }
    const plain = randomBytes(70_000);
    const encryption: BackupEncryption = { kind: 'passphrase', passphrase: 'correct horse', workFactor: 10 };
    const cipher = await collect(await encryptStream(pieces(plain, 4096), encryption));
    expect(cipher.toString('latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt \S{22} 10\n/);
    expect((await libraryOpens(cipher, { passphrase: 'correct horse' })).equals(plain)).toBe(true);
    await expect(libraryOpens(cipher, { passphrase: 'wrong horse' })).rejects.toThrow();
  });

  it('what the age library wrote, decryptStream opens: identity, passphrase and an unwrapped file key, fed in any pieces', async () => {
    for (const size of [...SIZES, ...BLOCKS]) {
      const plain = randomBytes(size);
      const e = new Encrypter();
      e.addRecipient(recipient);
      const cipher = await e.encrypt(plain);
      const fileKey = await unwrapOnce(cipher.subarray(0, 4096), {
        kind: 'identities',
        identities: [identity],
      });
      for (const secret of [{ kind: 'identities', identities: [identity] } as BackupSecret, fileKey]) {
        for (const piece of [7_000, 65_552, 2 * 65_552, 100_003, 1 << 20]) {
          const opened = await collect(await decryptStream(pieces(cipher, piece), secret));
          expect(opened.equals(plain), `size ${size}, pieces of ${piece}`).toBe(true);
        }
      }
    }
    const e = new Encrypter();
    e.setPassphrase('correct horse');
    e.setScryptWorkFactor(10);
    const plain = randomBytes(100_000);
    const cipher = await e.encrypt(plain);
    const opened = await collect(
      await decryptStream(pieces(cipher, 9_999), { kind: 'passphrase', passphrase: 'correct horse' }),
    );
    expect(opened.equals(plain)).toBe(true);
  });

  it('refuses a flipped byte, a cut-off end and the wrong key', async () => {
    const plain = randomBytes(200_000);
    const encryption: BackupEncryption = { kind: 'recipients', recipients: [recipient] };
    const cipher = await collect(await encryptStream(pieces(plain, 1 << 20), encryption));
    const secret: BackupSecret = { kind: 'identities', identities: [identity] };
    const payloadStart = cipher.indexOf('\n', cipher.indexOf('\n--- ') + 1) + 1 + 16;

    const flipped = Buffer.from(cipher);
    flipped[payloadStart + 65_552 + 100]! ^= 1;
    await expect(collect(await decryptStream(pieces(flipped, 1 << 20), secret))).rejects.toThrow(
      /chunk 1 of the encrypted payload fails its authentication/,
    );
    // Cut after a whole chunk: that chunk was not sealed as the last one.
    const cut = cipher.subarray(0, payloadStart + 2 * 65_552);
    await expect(collect(await decryptStream(pieces(cut, 1 << 20), secret))).rejects.toThrow(
      /authentication/,
    );
    const stub = cipher.subarray(0, payloadStart + 8);
    await expect(collect(await decryptStream(pieces(stub, 1 << 20), secret))).rejects.toThrow(/cut short/);
    const other = await generateX25519Identity();
    await expect(
      decryptStream(pieces(cipher, 1 << 20), { kind: 'identities', identities: [other] }),
    ).rejects.toThrow(BackupKeyError);
    await expect(decryptStream(pieces(Buffer.from('not age at all'), 100), secret)).rejects.toThrow(
      /no age header/,
    );
  });
});
