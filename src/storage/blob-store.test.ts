import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { perSuite } from '../testing/lifecycle.ts';
import { S3_PEER_KINDS, startS3Peer } from '../testing/peers/s3-server.ts';
import { openDiskStore } from './disk-store.ts';
import { ObjectNotFoundError } from './errors.ts';
import { openS3Store } from './s3-store.ts';
import type { BlobStore, ByteRange } from './types.ts';

/*
 * The blob store contract, one body run on every implementation: the disk store in a temporary
 * folder, and the S3 store against both S3-compatible test servers (fauxqs and s3rver), each test
 * on a fresh store (a new folder, a new key prefix in the bucket).
 */

interface StoreMaker {
  /** A fresh, empty store. */
  fresh(): Promise<BlobStore>;
  end(): Promise<void>;
}

const makers: Record<string, () => Promise<StoreMaker>> = {
  disk: async () => {
    const dirs: string[] = [];
    return {
      async fresh() {
        const dir = await mkdtemp(join(tmpdir(), 'clinicbox-blob-'));
        dirs.push(dir);
        return openDiskStore(dir);
      },
      async end() {
        for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      },
    };
  },
  ...Object.fromEntries(
    S3_PEER_KINDS.map((kind) => [
      `s3 on ${kind}`,
      async (): Promise<StoreMaker> => {
        const peer = await startS3Peer(kind);
        const stores: ReturnType<typeof openS3Store>[] = [];
        return {
          async fresh() {
            // A small list page, so that listing more than a few objects pages — except on s3rver,
            // whose continuation tokens need DES, which Node's OpenSSL 3 no longer has (a 500).
            const pages = kind === 'fauxqs' ? { listPageSize: 3 } : {};
            const store = openS3Store({ ...peer.settings(`t${stores.length}`), ...pages });
            stores.push(store);
            return store;
          },
          async end() {
            for (const store of stores) store.close();
            await peer.stop();
          },
        };
      },
    ]),
  ),
};

const MiB = 1024 * 1024;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream of `bytes` in pieces of `piece` bytes (an upload arrives so, not in one buffer). */
const streamOf = (bytes: Buffer, piece = 64 * 1024) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
    })(),
  );

async function keysOf(store: BlobStore, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys.sort();
}

const expected = (bytes: Buffer, r: ByteRange) =>
  bytes.subarray(r.start, r.end === undefined ? undefined : r.end + 1);

describe.each(Object.keys(makers))('blob store contract: %s', (name) => {
  const maker = perSuite(
    () => makers[name]!(),
    (m) => m.end(),
  );

  it('gives back what was put, whole, with its size, and heads it', async () => {
    const store = await maker().fresh();
    const bytes = randomBytes(300_001);
    const before = Date.now();
    expect(await store.put('documents/p1/d1.a', streamOf(bytes, 4096))).toEqual({ size: bytes.length });
    expect((await readAll(await store.get('documents/p1/d1.a'))).equals(bytes)).toBe(true);
    const info = await store.head('documents/p1/d1.a');
    expect(info).toMatchObject({ key: 'documents/p1/d1.a', size: bytes.length });
    // Stores keep whole seconds; allow for that and for a clock a little apart.
    expect(Math.abs(info!.modifiedAt.getTime() - before)).toBeLessThan(60_000);
  });

  it('keeps an empty object, and one of a single byte', async () => {
    const store = await maker().fresh();
    expect(await store.put('e', Readable.from([]))).toEqual({ size: 0 });
    expect(await store.put('one', Readable.from([Buffer.from('x')]))).toEqual({ size: 1 });
    expect((await readAll(await store.get('e'))).length).toBe(0);
    expect((await readAll(await store.get('one'))).toString()).toBe('x');
    expect(await store.head('e')).toMatchObject({ size: 0 });
  });

  it('stores an object larger than one multipart part (5 MiB) and reads ranges across the part edge', async () => {
    const store = await maker().fresh();
    const bytes = randomBytes(5 * MiB + 12_345);
    expect(await store.put('big', streamOf(bytes))).toEqual({ size: bytes.length });
    expect((await readAll(await store.get('big'))).equals(bytes)).toBe(true);
    for (const range of [
      { start: 5 * MiB - 10, end: 5 * MiB + 9 },
      { start: 5 * MiB },
      { start: bytes.length - 1 },
    ]) {
      expect((await readAll(await store.get('big', range))).equals(expected(bytes, range))).toBe(true);
    }
  });

  it('reads byte ranges: first byte, one inside, to the end, the last, past the end', async () => {
    const store = await maker().fresh();
    const bytes = randomBytes(10_000);
    await store.put('r', streamOf(bytes, 999));
    const ranges: ByteRange[] = [
      { start: 0, end: 0 },
      { start: 1, end: 1 },
      { start: 0, end: 9_999 },
      { start: 4_000, end: 6_499 },
      { start: 9_990 },
      { start: 9_999, end: 9_999 },
      { start: 9_000, end: 20_000 },
    ];
    for (const range of ranges) {
      const got = await readAll(await store.get('r', range));
      expect(got.equals(expected(bytes, range)), JSON.stringify(range)).toBe(true);
    }
    // Starting at the end: nothing to read.
    expect((await readAll(await store.get('r', { start: 10_000 }))).length).toBe(0);
  });

  it('replaces an object put again under the same key', async () => {
    const store = await maker().fresh();
    await store.put('k', Readable.from([Buffer.from('first version')]));
    await store.put('k', Readable.from([Buffer.from('second')]));
    expect((await readAll(await store.get('k'))).toString()).toBe('second');
    expect(await store.head('k')).toMatchObject({ size: 6 });
    expect(await keysOf(store)).toEqual(['k']);
  });

  it('answers a missing object: get throws ObjectNotFoundError, head null, delete is fine', async () => {
    const store = await maker().fresh();
    await expect(store.get('documents/none')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.get('documents/none', { start: 2, end: 5 })).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    expect(await store.head('documents/none')).toBeNull();
    await store.delete('documents/none');
  });

  it('deletes: the object is gone from get, head and list; a second delete is fine', async () => {
    const store = await maker().fresh();
    await store.put('a/x', Readable.from([Buffer.from('x')]));
    await store.put('a/y', Readable.from([Buffer.from('y')]));
    await store.delete('a/x');
    await expect(store.get('a/x')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.head('a/x')).toBeNull();
    expect(await keysOf(store)).toEqual(['a/y']);
    await store.delete('a/x');
  });

  it('lists every object under a prefix (whole folders, part of a name, nothing), over several pages', async () => {
    const store = await maker().fresh();
    const keys = [
      'documents/p1/d1.a',
      'documents/p1/d2.b',
      'documents/p12/d3.c',
      'documents/p2/d4.d',
      'documents/p2/d5.e',
      'documents/p2/d6.f',
      'documents/p2/d7.g',
      'other/x',
    ];
    await Promise.all(keys.map((k) => store.put(k, Readable.from([Buffer.from(k)]))));
    expect(await keysOf(store)).toEqual(keys);
    expect(await keysOf(store, 'documents/p1/')).toEqual(['documents/p1/d1.a', 'documents/p1/d2.b']);
    expect(await keysOf(store, 'documents/p1')).toEqual(keys.slice(0, 3));
    expect(await keysOf(store, 'documents/')).toEqual(keys.slice(0, 7));
    expect(await keysOf(store, 'nothing/')).toEqual([]);
    const info = [];
    for await (const o of store.list('other/')) info.push(o);
    expect(info).toEqual([{ key: 'other/x', size: 7, modifiedAt: expect.any(Date) }]);
  });

  it('refuses keys that are not plain relative paths, before touching anything', async () => {
    const store = await maker().fresh();
    for (const key of ['', '../x', 'a/../../x', '/abs', 'a//b', '.tmp/x', 'a/./b', 'sp ace']) {
      await expect(store.put(key, Readable.from([Buffer.from('x')])), key).rejects.toThrow(
        /invalid object key/,
      );
      await expect(store.get(key), key).rejects.toThrow(/invalid object key/);
      await expect(store.head(key), key).rejects.toThrow(/invalid object key/);
      await expect(store.delete(key), key).rejects.toThrow(/invalid object key/);
    }
    expect(await keysOf(store)).toEqual([]);
  });

  it('a put whose source fails part-way rejects and leaves no object (small and multipart)', async () => {
    const store = await maker().fresh();
    for (const [key, before] of [
      ['small', 100_000],
      ['large', 6 * MiB],
    ] as const) {
      const source = Readable.from(
        (async function* () {
          for (let sent = 0; sent < before; sent += 256 * 1024) yield randomBytes(256 * 1024);
          throw new Error('the client went away');
        })(),
      );
      await expect(store.put(key, source)).rejects.toThrow(/the client went away/);
      expect(await store.head(key)).toBeNull();
    }
    expect(await keysOf(store)).toEqual([]);
  });

  it('takes several puts at once, each whole', async () => {
    const store = await maker().fresh();
    const files = Array.from({ length: 6 }, (_, i) => randomBytes(50_000 + i * 7_777));
    await Promise.all(files.map((bytes, i) => store.put(`c/${i}`, streamOf(bytes, 8192))));
    for (const [i, bytes] of files.entries()) {
      expect((await readAll(await store.get(`c/${i}`))).equals(bytes)).toBe(true);
    }
  });
});
