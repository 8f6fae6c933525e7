import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicKeys, Key } from '../lib/crypto.ts';
import { openDiskStore } from './disk-store.ts';
import { fileVault } from './file-vault.ts';
import type { BlobStore, StoredFile } from './types.ts';

/**
 * Objects stored by an earlier version of the vault (format 1 sealed through WebCrypto, before
 * chunks were sealed with node:crypto and disk reads went through `openReader`), kept as a
 * fixture: they still open, whole and by ranges, on the disk store's read at offsets and on a
 * store read as a stream (S3's way).
 */
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../test/fixtures/vault-format1-objects.json'), 'utf8'),
) as { masterKeyHex: string; files: (StoredFile & { chunkSize: number; object: string })[] };
const filesKey = clinicKeys(Key.fromBytes(Buffer.from(fixture.masterKeyHex, 'hex'))).files;
const plaintext = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + 3) % 251));
const readAll = async (stream: Readable) => Buffer.concat(await stream.toArray());

describe('the vault reads objects an earlier version stored', () => {
  let root: string;
  let disk: BlobStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'clinicbox-vault-format-'));
    disk = openDiskStore(root);
    for (const f of fixture.files)
      await disk.put(f.objectKey, Readable.from([Buffer.from(f.object, 'base64')]));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const stores = (): Record<string, BlobStore> => {
    const { openReader: _, ...streamOnly } = disk;
    return { 'disk (reads at offsets)': disk, 'a stream-only store': streamOnly };
  };

  for (const name of ['disk (reads at offsets)', 'a stream-only store'] as const) {
    it(`opens every stored file whole and by ranges on ${name}`, async () => {
      const vault = fileVault(stores()[name]!, filesKey);
      expect(fixture.files.map((f) => f.chunkSize)).toEqual([1024, 262144]);
      for (const f of fixture.files) {
        const plain = plaintext(f.size);
        expect((await readAll(await vault.read(f))).equals(plain)).toBe(true);
        await vault.verify(f);
        for (const [start, end] of [
          [0, 0],
          [1000, 1100],
          [f.size - 7, f.size - 1],
        ] as const) {
          const got = await readAll(await vault.read(f, { start, end }));
          expect(got.equals(plain.subarray(start, end + 1))).toBe(true);
        }
      }
    });
  }

  it('a changed byte in an old object still fails the read', async () => {
    const f = fixture.files[0]!;
    const bytes = Buffer.from(f.object, 'base64');
    bytes[bytes.length >> 1]! ^= 1;
    await disk.put(`${f.objectKey}`, Readable.from([bytes]));
    const vault = fileVault(disk, filesKey);
    await expect(vault.verify(f)).rejects.toThrow(/does not authenticate/);
    await disk.put(f.objectKey, Readable.from([Buffer.from(f.object, 'base64')]));
  });
});
