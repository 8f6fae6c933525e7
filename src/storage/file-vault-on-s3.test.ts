import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { testKeys } from '../testing/keys.ts';
import { perSuite } from '../testing/lifecycle.ts';
import { S3_PEER_KINDS, startS3Peer } from '../testing/peers/s3-server.ts';
import { drain, streamOf as streamPieces } from '../testing/streams.ts';
import { DEFAULT_CHUNK_SIZE } from './envelope.ts';
import { FileIntegrityError, FileTooLargeError } from './errors.ts';
import { fileVault } from './file-vault.ts';
import { openS3Store } from './s3-store.ts';
import type { BlobStore, FileVault, StoredFile } from './types.ts';

/*
 * The vault over the S3 store, on both S3 test servers: the envelope survives multipart uploads
 * and ranged GETs (which s3rver answers loosely), a too-large upload leaves no object, and a
 * changed object is refused. The edge cases of the envelope itself are file-vault.test.ts.
 */

const K = DEFAULT_CHUNK_SIZE;
const MiB = 1024 * 1024;

const streamOf = (bytes: Buffer, piece = 100_000) => streamPieces(bytes, piece);

async function keysOf(store: BlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list()) keys.push(o.key);
  return keys;
}

describe.each(S3_PEER_KINDS)('the file vault on S3 (%s)', (kind) => {
  const stores: ReturnType<typeof openS3Store>[] = [];
  const peer = perSuite(
    () => startS3Peer(kind),
    async (p) => {
      for (const store of stores) store.close();
      await p.stop();
    },
  );
  const freshVault = (): FileVault => {
    const store = openS3Store(peer().settings(`v${stores.length}`));
    stores.push(store);
    return fileVault(store, testKeys.files);
  };
  const write = (vault: FileVault, bytes: Buffer, maxBytes = 64 * MiB) =>
    vault.write(streamOf(bytes), { keyHint: 'documents/p1/d1', maxBytes });

  it('stores and reads back files of 0, 1, a chunk and a multipart upload, whole and by ranges', async () => {
    const vault = freshVault();
    for (const size of [0, 1, K, 6 * MiB + 7]) {
      const plain = randomBytes(size);
      const file = await write(vault, plain);
      expect(file).toMatchObject({ size, sha256: createHash('sha256').update(plain).digest('hex') });
      const whole = await drain(await vault.read(file));
      expect(whole.error).toBeNull();
      expect(whole.bytes.equals(plain)).toBe(true);
      if (size < 2) continue;
      const ranges = [
        { start: 0, end: 0 },
        { start: size - 1, end: size - 1 },
        { start: 1, end: size - 2 },
        ...(size > 2 * K
          ? [{ start: K - 1, end: K }, { start: 2 * K, end: 2 * K + 15 }, { start: 5 * MiB - 3 }]
          : []),
      ];
      for (const range of ranges) {
        const got = await drain(await vault.read(file, range));
        expect(got.error).toBeNull();
        expect(
          got.bytes.equals(plain.subarray(range.start, (range.end ?? size - 1) + 1)),
          JSON.stringify(range),
        ).toBe(true);
      }
    }
  });

  it('a too-large upload, small or multipart, leaves no object', async () => {
    const vault = freshVault();
    await expect(write(vault, randomBytes(1000), 999)).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(write(vault, randomBytes(8 * MiB), 7 * MiB)).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await keysOf(vault.store)).toEqual([]);
  });

  it('an object changed in the bucket is refused, whole and by range', async () => {
    const vault = freshVault();
    const file: StoredFile = await write(vault, randomBytes(3 * K));
    const stored = (await drain(await vault.store.get(file.objectKey))).bytes;
    stored[stored.length - 100]! ^= 0x10;
    await vault.store.put(file.objectKey, Readable.from([stored]));
    expect((await drain(await vault.read(file))).error).toBeInstanceOf(FileIntegrityError);
    expect((await drain(await vault.read(file, { start: 3 * K - 5 }))).error).toBeInstanceOf(
      FileIntegrityError,
    );
    expect((await drain(await vault.read(file, { start: 0, end: 9 }))).error).toBeNull();
    await expect(vault.verify(file)).rejects.toBeInstanceOf(FileIntegrityError);
  });
});
