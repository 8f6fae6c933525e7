import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { perSuite } from '../testing/lifecycle.ts';
import {
  isUploadPart,
  S3_PEER_KINDS,
  type S3Fault,
  type S3PeerRequest,
  startS3Peer,
} from '../testing/peers/s3-server.ts';
import { openBlobStore } from './index.ts';
import { openS3Store, parseS3Url, type S3BlobStore } from './s3-store.ts';

/*
 * The S3 store when the S3 server fails: a 5xx answer or a dropped connection in the middle of a
 * multipart upload, on each test server. A put either stores the whole object or rejects; after a
 * rejection nothing is visible under the key, or — when the store finished the object but its
 * answer was lost — the object is there whole and `list` shows it (the sweeper removes objects no
 * document points to).
 */

const MiB = 1024 * 1024;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const streamOf = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 256 * 1024) yield bytes.subarray(at, at + 256 * 1024);
    })(),
  );

async function keysOf(store: S3BlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list()) keys.push(o.key);
  return keys;
}

/** After a put of `key` that rejected: nothing under it, nor under any other key of the store. */
async function expectNoObject(store: S3BlobStore, key: string): Promise<void> {
  expect(await store.head(key)).toBeNull();
  expect(await keysOf(store)).toEqual([]);
}

/** After a multipart put of `key` that rejected (`sent`, its requests): its upload aborted, no object. */
async function expectAborted(store: S3BlobStore, key: string, sent: S3PeerRequest[]): Promise<void> {
  expect(sent.some(isAbort)).toBe(true);
  await expectNoObject(store, key);
}

/** Picks the `n`th request (from 1) the test matches, once, or every one from the `n`th on. */
function nth(n: number, match: (r: S3PeerRequest) => boolean, { once }: { once: boolean }) {
  let seen = 0;
  return (r: S3PeerRequest) => {
    if (!match(r)) return false;
    seen += 1;
    return once ? seen === n : seen >= n;
  };
}

const isComplete = (r: S3PeerRequest) => r.method === 'POST' && r.query.has('uploadId');
const isAbort = (r: S3PeerRequest) => r.method === 'DELETE' && r.query.has('uploadId');

describe.each(S3_PEER_KINDS)('S3 store faults on %s', (kind) => {
  const peer = perSuite(
    () => startS3Peer(kind),
    (p) => p.stop(),
  );
  let n = 0;
  /** A store under a prefix of its own, with the fault rule cleared. */
  const fresh = () => {
    peer().fault(null);
    return openS3Store(peer().settings(`faults${++n}`));
  };

  /**
   * Runs `put` while the server answers `answer` to the UploadPart `from` (counted from 1) only,
   * or, unless `once`, to every one from it on; then clears the fault: the requests sent meanwhile.
   */
  const withFaultyParts = async (
    from: number,
    answer: S3Fault,
    { once }: { once: boolean },
    put: () => Promise<unknown>,
  ): Promise<S3PeerRequest[]> => {
    const pick = nth(from, isUploadPart, { once });
    peer().fault((r) => (pick(r) ? answer : undefined));
    const before = peer().requests.length;
    await put();
    peer().fault(null);
    return peer().requests.slice(before);
  };

  /**
   * A 12 MiB put of `key` while every try of its UploadPart 2 is answered `answer`: it rejects with
   * an error like `error`, its upload aborted and no object left. The requests sent.
   */
  const refusedPut = async (store: S3BlobStore, key: string, answer: S3Fault, error: object) => {
    const sent = await withFaultyParts(2, answer, { once: false }, () =>
      expect(store.put(key, streamOf(randomBytes(12 * MiB)))).rejects.toMatchObject(error),
    );
    await expectAborted(store, key, sent);
    return sent;
  };

  it('a 503 answered once to an UploadPart is retried: the whole object is stored', async () => {
    const store = fresh();
    const bytes = randomBytes(12 * MiB + 5);
    const warn = vi.spyOn(console, 'warn');
    const sent = await withFaultyParts(2, 503, { once: true }, async () => {
      try {
        expect(await store.put('retried', streamOf(bytes))).toEqual({ size: bytes.length });
        // The part is tried again here, not by the SDK, which would warn on the console that it cannot.
        expect(warn).not.toHaveBeenCalled();
      } finally {
        warn.mockRestore();
      }
    });
    // The part was sent again: one more UploadPart than the object has parts.
    expect(sent.filter(isUploadPart).length).toBe(4);
    expect((await readAll(await store.get('retried'))).equals(bytes)).toBe(true);
    store.close();
  });

  it('a 500 on every try of one UploadPart rejects the put, aborts the upload, and leaves no object', async () => {
    const store = fresh();
    await refusedPut(store, 'failed', 500, { name: 'InternalError' });
    store.close();
  });

  it('a connection dropped part-way through every try of an UploadPart rejects the put and leaves no object', async () => {
    const store = fresh();
    await withFaultyParts(1, 'drop', { once: false }, () =>
      expect(store.put('dropped', streamOf(randomBytes(11 * MiB)))).rejects.toThrow(),
    );
    await expectNoObject(store, 'dropped');
    store.close();
  });

  it('a connection dropped once mid-part is retried: the whole object is stored', async () => {
    const store = fresh();
    const bytes = randomBytes(11 * MiB);
    await withFaultyParts(2, 'drop', { once: true }, async () =>
      expect(await store.put('redone', streamOf(bytes))).toEqual({ size: bytes.length }),
    );
    expect((await readAll(await store.get('redone'))).equals(bytes)).toBe(true);
    store.close();
  });

  it('a 4xx answer to an UploadPart is not tried again: the put rejects at once, is aborted, leaves no object', async () => {
    const store = fresh();
    const sent = await refusedPut(store, 'refused', 400, { $metadata: { httpStatusCode: 400 } });
    // Parts 1 and 2 (refused once), maybe part 3 already under way: never part 2 a second time.
    expect(sent.filter((r) => isUploadPart(r) && r.query.get('partNumber') === '2').length).toBe(1);
    store.close();
  });

  it('a body that fails after some parts are sent rejects with its error, aborts the upload, and leaves no object', async () => {
    const store = fresh();
    const before = peer().requests.length;
    const failing = Readable.from(
      (async function* () {
        for (let i = 0; i < 12; i++) yield randomBytes(MiB);
        throw new Error('the upload broke off');
      })(),
    );
    await expect(store.put('broken', failing)).rejects.toThrow('the upload broke off');
    const sent = peer().requests.slice(before);
    expect(sent.filter(isUploadPart).length).toBeGreaterThanOrEqual(2);
    expect(sent.some(isComplete)).toBe(false);
    await expectAborted(store, 'broken', sent);
    store.close();
  });

  it('a 500 on a small (single PutObject) upload rejects it and leaves no object', async () => {
    const store = fresh();
    peer().fault((r) => (r.method === 'PUT' && !isUploadPart(r) ? 500 : undefined));
    await expect(store.put('small', Readable.from([randomBytes(1000)]))).rejects.toMatchObject({
      name: 'InternalError',
    });
    peer().fault(null);
    expect(await store.head('small')).toBeNull();
    store.close();
  });

  it('when the store completes the upload but its answer is lost, the put rejects and list shows the whole object for the sweeper', async () => {
    const store = fresh();
    const bytes = randomBytes(6 * MiB);
    peer().fault((r) => (isComplete(r) ? 'drop-answer' : undefined));
    await expect(store.put('orphan', streamOf(bytes))).rejects.toThrow();
    peer().fault(null);
    const listed = [];
    for await (const o of store.list()) listed.push(o);
    expect(listed).toEqual([{ key: 'orphan', size: bytes.length, modifiedAt: expect.any(Date) }]);
    expect((await readAll(await store.get('orphan'))).equals(bytes)).toBe(true);
    store.close();
  });

  it('a download whose connection is cut part-way errors the stream instead of ending it short', async () => {
    const store = fresh();
    const bytes = randomBytes(2 * MiB);
    await store.put('cut', streamOf(bytes));
    peer().fault((r) => (r.method === 'GET' && r.key.endsWith('/cut') ? 'cut-answer' : undefined));
    await expect(store.get('cut').then(readAll)).rejects.toThrow();
    peer().fault(null);
    expect((await readAll(await store.get('cut'))).equals(bytes)).toBe(true);
    store.close();
  });

  it('a 500 on every try of a download rejects the get', async () => {
    const store = fresh();
    await store.put('busy', Readable.from([Buffer.from('x')]));
    peer().fault((r) => (r.method === 'GET' && r.key.endsWith('/busy') ? 500 : undefined));
    await expect(store.get('busy')).rejects.toMatchObject({ name: 'InternalError' });
    peer().fault(null);
    store.close();
  });
});

describe('choosing and naming the S3 store', () => {
  const peer = perSuite(
    () => startS3Peer('fauxqs'),
    (p) => p.stop(),
  );

  it('openBlobStore picks S3 for an s3:// URL with the --s3-* settings, under the URL’s prefix', async () => {
    const s = peer().settings('clinic/files');
    const store = openBlobStore({
      dataPath: '/nonexistent',
      storageUrl: 's3://clinicbox-test/clinic/files/',
      s3Endpoint: s.endpoint!,
      s3Region: s.region,
      s3AccessKeyId: s.accessKeyId!,
      s3SecretAccessKey: s.secretAccessKey!,
      s3ForcePathStyle: true,
      s3Checksums: 'when_supported',
      maxUploadMb: 50,
      documentRetentionDays: 30,
    });
    expect(store.location).toBe('s3://clinicbox-test/clinic/files');
    await store.put('documents/p/d.x', Readable.from([Buffer.from('hello')]));
    expect(peer().requests.at(-1)?.key).toBe('clinic/files/documents/p/d.x');
    expect((await readAll(await store.get('documents/p/d.x'))).toString()).toBe('hello');
    await store.close?.();
  });

  it('reads bucket and prefix from the URL and refuses a prefix that is not a plain path', () => {
    expect(parseS3Url('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(parseS3Url('s3://b/')).toEqual({ bucket: 'b', prefix: '' });
    expect(parseS3Url('s3://b/a/c/')).toEqual({ bucket: 'b', prefix: 'a/c/' });
    expect(() => parseS3Url('s3://b/../x')).toThrow(/invalid object key/);
    expect(() => parseS3Url('file:/x')).toThrow(/not an s3:\/\/ storage URL/);
  });
});
