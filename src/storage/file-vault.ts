import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Key, openSecret, sealSecret } from '../lib/crypto.ts';
import { assertObjectKey } from './disk-store.ts';
import {
  DATA_KEY_BYTES,
  DEFAULT_CHUNK_SIZE,
  HEADER_BYTES,
  Layout,
  makeHeader,
  readHeader,
  sealChunkParts,
  TAG_BYTES,
} from './envelope.ts';
import { FileIntegrityError, FileTooLargeError } from './errors.ts';
import { openPlainChunk, plainRead } from './plain-chunk.ts';
import { sha256Stream } from './sha256-stream.ts';
import type { BlobStore, ByteRange, FileVault, StoredFile } from './types.ts';
import { readPlainAt } from './vault-read-at.ts';

/**
 * Files encrypted over a blob store (the layout: envelope.ts). Each file gets a random data key,
 * kept only sealed by the clinic's files key (`wrappedKey`, bound to the object key), and its
 * plaintext SHA-256; a whole read checks the hash before the last bytes go out, a range read
 * authenticates every chunk it touches. Neither ever hands out a byte that did not authenticate.
 */
export function fileVault(store: BlobStore, filesKey: Key, options: { chunkSize?: number } = {}): FileVault {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const header = makeHeader(chunkSize);

  return {
    store,

    async write(body, { keyHint, maxBytes }) {
      assertObjectKey(keyHint);
      const objectKey = `${keyHint}.${randomBytes(10).toString('hex')}`;
      const dataKey = randomBytes(DATA_KEY_BYTES);
      const hash = sha256Stream();
      let size = 0;
      let sha256 = '';
      async function* sealed(): AsyncGenerator<Buffer> {
        yield header;
        const pending = new ByteQueue();
        // A chunk that spans pieces is joined here: it is sealed before the next take.
        const scratch = Buffer.allocUnsafe(chunkSize);
        let index = 0;
        for await (const part of body as AsyncIterable<Buffer | string>) {
          const bytes = typeof part === 'string' ? Buffer.from(part) : part;
          size += bytes.length;
          if (size > maxBytes) throw new FileTooLargeError(maxBytes);
          const room = hash.update(bytes);
          if (room) await room;
          pending.push(bytes);
          // A chunk goes out once more bytes follow it: the last one is sealed as last at the end.
          while (pending.length > chunkSize) {
            yield* sealChunkParts(dataKey, header, index++, false, pending.take(chunkSize, scratch));
          }
        }
        yield* sealChunkParts(dataKey, header, index, true, pending.take(chunkSize, scratch));
      }
      try {
        // The pieces as they are, a few chunks ahead (sealed while the store writes the last). Not a
        // byte stream: its reader would get everything buffered joined into one copy at each read.
        const sealedStream = Readable.from(sealed(), { objectMode: true, highWaterMark: 8 });
        const stored = await store.put(objectKey, sealedStream);
        const expected = new Layout(size, chunkSize).objectSize;
        if (stored.size !== expected) {
          throw new Error(`stored ${stored.size} bytes for ${objectKey}, expected ${expected}`);
        }
        sha256 = await hash.digest();
      } catch (e) {
        hash.drop();
        // Nothing half-written stays visible; if this fails too, the sweeper finds the object.
        await store.delete(objectKey).catch(() => {});
        throw e;
      }
      const wrappedKey = sealSecret(filesKey, dataKey.toString('base64'), fileKeyContext(objectKey));
      dataKey.fill(0);
      return { objectKey, wrappedKey, size, sha256 };
    },

    async read(file, range) {
      const [start, end] = plainRange(file, range);
      return readPlain(store, filesKey, file, start, end);
    },

    async verify(file) {
      const plain = await readPlain(store, filesKey, file, 0, file.size - 1);
      for await (const _ of plain) {
        // Reading to the end is the check: a bad chunk or hash errors the stream.
      }
    },

    async remove(objectKey) {
      await store.delete(objectKey);
    },
  };
}

/** What the data key's seal is bound to, so a wrapped key copied to another file does not open. */
export const fileKeyContext = (objectKey: string) => `file:${objectKey}`;

/** A file's data key sealed again under another files key (`keys rotate`); the object is untouched. */
export function rewrapFileKey(
  file: Pick<StoredFile, 'objectKey' | 'wrappedKey'>,
  from: Key,
  to: Key,
): string {
  const context = fileKeyContext(file.objectKey);
  return sealSecret(to, openSecret(from, file.wrappedKey, context), context);
}

function unwrapDataKey(filesKey: Key, file: StoredFile): Buffer {
  let encoded: string;
  try {
    encoded = openSecret(filesKey, file.wrappedKey, fileKeyContext(file.objectKey));
  } catch {
    throw new FileIntegrityError(file.objectKey, 'its data key does not open with this master key');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== DATA_KEY_BYTES) throw new FileIntegrityError(file.objectKey, 'malformed data key');
  return key;
}

/** The inclusive plaintext range asked for; a RangeError when it is outside the file. */
function plainRange(file: StoredFile, range: ByteRange | undefined): [number, number] {
  if (!range) return [0, file.size - 1];
  const end = Math.min(range.end ?? file.size - 1, file.size - 1);
  if (
    !Number.isSafeInteger(range.start) ||
    !Number.isSafeInteger(end) ||
    range.start < 0 ||
    range.start > end
  ) {
    throw new RangeError(`bytes ${range.start}-${range.end ?? ''} are outside a file of ${file.size} bytes`);
  }
  return [range.start, end];
}

async function checkedHeader(
  reader: ExactReader,
  file: StoredFile,
): Promise<{ header: Buffer; layout: Layout }> {
  const header = await reader.take(HEADER_BYTES);
  const chunkSize = readHeader(header);
  if (chunkSize === null) {
    await reader.close();
    throw new FileIntegrityError(file.objectKey, 'not an encrypted Clinicbox file');
  }
  return { header, layout: new Layout(file.size, chunkSize) };
}

/**
 * Plaintext bytes `start`..`end` (inclusive). A whole read takes the object in one stream and
 * checks the SHA-256 and that nothing follows the last chunk; a range reads the header, then only
 * the chunks it touches.
 */
async function readPlain(
  store: BlobStore,
  filesKey: Key,
  file: StoredFile,
  start: number,
  end: number,
): Promise<Readable> {
  const dataKey = unwrapDataKey(filesKey, file);
  // A store that reads at offsets (disk) is read chunk by chunk into reused buffers.
  if (store.openReader) return readPlainAt(await store.openReader(file.objectKey), dataKey, file, start, end);
  const whole = start === 0 && end === file.size - 1;
  let reader = new ExactReader(
    await store.get(file.objectKey, whole ? undefined : { start: 0, end: HEADER_BYTES - 1 }),
  );
  const { header, layout } = await checkedHeader(reader, file);
  const read = plainRead(file, dataKey, header, layout, start, end);
  const { first, last } = read;
  if (!whole) {
    await reader.close();
    const to = layout.cipherOffset(last) + layout.plainLength(last) + TAG_BYTES - 1;
    reader = new ExactReader(await store.get(file.objectKey, { start: layout.cipherOffset(first), end: to }));
  }
  async function* plain(): AsyncGenerator<Buffer> {
    // A chunk that spans the store's pieces is joined here (opened before the next is read).
    const scratch = Buffer.allocUnsafe(layout.chunkSize + TAG_BYTES);
    try {
      for (let i = first; i <= last; i++) {
        const sealed = await readChunk(reader, layout, i, file, scratch);
        const part = await openPlainChunk(read, i, sealed, async () => (await reader.take(1)).length > 0);
        if (part.length) yield part;
      }
    } finally {
      read.hash?.drop();
      dataKey.fill(0);
      await reader.close();
    }
  }
  const out = Readable.from(plain(), { objectMode: false });
  // A stream dropped before its first read never enters plain(): close the object's stream here too.
  out.once('close', () => void reader.close().catch(() => {}));
  return out;
}

/** Chunk `index`'s ciphertext and tag, read from where the reader stands. */
async function readChunk(
  reader: ExactReader,
  layout: Layout,
  index: number,
  file: StoredFile,
  scratch: Buffer,
): Promise<Buffer> {
  const want = layout.plainLength(index) + TAG_BYTES;
  const sealed = await reader.take(want, scratch);
  if (sealed.length < want) throw new FileIntegrityError(file.objectKey, `cut short in chunk ${index}`);
  return sealed;
}

/** Bytes in arrival order, taken from the front without a copy when one piece holds them. */
class ByteQueue {
  private pieces: Buffer[] = [];
  length = 0;

  push(bytes: Buffer): void {
    if (!bytes.length) return;
    this.pieces.push(bytes);
    this.length += bytes.length;
  }

  /**
   * Up to `n` bytes from the front: part of one piece, or the pieces copied into `scratch` (when
   * it is large enough; it is overwritten by the next take) or into a new buffer.
   */
  take(n: number, scratch?: Buffer): Buffer {
    const want = Math.min(n, this.length);
    const head = this.pieces[0];
    let out: Buffer;
    if (head && head.length >= want) {
      out = head.subarray(0, want);
      if (head.length === want) this.pieces.shift();
      else this.pieces[0] = head.subarray(want);
    } else {
      out = scratch && scratch.length >= want ? scratch.subarray(0, want) : Buffer.allocUnsafe(want);
      for (let at = 0; at < want; ) {
        const piece = this.pieces[0]!;
        const used = piece.copy(out, at, 0, Math.min(piece.length, want - at));
        at += used;
        if (used === piece.length) this.pieces.shift();
        else this.pieces[0] = piece.subarray(used);
      }
    }
    this.length -= want;
    return out;
  }
}

/** Exact-length reads from a byte stream (fewer bytes only at its end). */
class ExactReader {
  private readonly source: AsyncIterator<Buffer | string>;
  private readonly queue = new ByteQueue();
  private ended = false;

  constructor(private readonly stream: Readable) {
    this.source = stream[Symbol.asyncIterator]();
  }

  async take(n: number, scratch?: Buffer): Promise<Buffer> {
    while (this.queue.length < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else this.queue.push(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
    }
    return this.queue.take(n, scratch);
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.source.return?.();
    }
    this.stream.destroy();
  }
}
