import { Readable } from 'node:stream';
import { HEADER_BYTES, Layout, readHeader, TAG_BYTES } from './envelope.ts';
import { FileIntegrityError } from './errors.ts';
import { openPlainChunk, plainRead } from './plain-chunk.ts';
import type { PositionalReader, StoredFile } from './types.ts';

/**
 * The vault's read of a file from a store that reads at offsets (the disk store): each chunk is
 * read straight into one of two buffers the read keeps — no stream buffers allocated and dropped
 * per read — the next chunk's read running while this one is opened and hashed. The checks are
 * those of the stream read (file-vault.ts): every chunk authenticated; a whole read compares the
 * object's size and the plaintext's SHA-256 before its last bytes go out.
 */
export async function readPlainAt(
  reader: PositionalReader,
  dataKey: Buffer,
  file: StoredFile,
  start: number,
  end: number,
): Promise<Readable> {
  let layout: Layout;
  const header = Buffer.alloc(HEADER_BYTES);
  try {
    const chunkSize = (await reader.read(header, 0)) === HEADER_BYTES ? readHeader(header) : null;
    if (chunkSize === null) throw new FileIntegrityError(file.objectKey, 'not an encrypted Clinicbox file');
    layout = new Layout(file.size, chunkSize);
  } catch (e) {
    dataKey.fill(0);
    await reader.close();
    throw e;
  }
  const read = plainRead(file, dataKey, header, layout, start, end);
  const { first, last } = read;
  const buffers = [
    Buffer.allocUnsafe(layout.chunkSize + TAG_BYTES),
    Buffer.allocUnsafe(layout.chunkSize + TAG_BYTES),
  ];
  let pending: Promise<Buffer> | null = null;

  /** Chunk `i`'s ciphertext and tag, read into one of the two buffers. */
  const readChunk = (i: number): Promise<Buffer> => {
    const into = buffers[i % 2]!.subarray(0, layout.plainLength(i) + TAG_BYTES);
    const read = reader.read(into, layout.cipherOffset(i)).then((got) => {
      if (got < into.length) throw new FileIntegrityError(file.objectKey, `cut short in chunk ${i}`);
      return into;
    });
    read.catch(() => {}); // awaited below; a read dropped early must not be an unhandled rejection
    return read;
  };

  async function* plain(): AsyncGenerator<Buffer> {
    try {
      let next = readChunk(first);
      pending = next;
      for (let i = first; i <= last; i++) {
        const sealed = await next;
        // The next chunk is read into the other buffer while this one is opened.
        if (i < last) pending = next = readChunk(i + 1);
        else pending = null;
        const part = await openPlainChunk(read, i, sealed, () => reader.size > layout.objectSize);
        if (part.length) yield part;
      }
    } finally {
      read.hash?.drop();
      dataKey.fill(0);
      await (pending as Promise<Buffer> | null)?.catch(() => {});
      await reader.close();
    }
  }
  const out = Readable.from(plain(), { objectMode: false });
  // A stream dropped before its first read never enters plain(): close the file here too.
  out.once('close', () => {
    if (pending !== null) return; // plain() is under way: its finally closes
    dataKey.fill(0);
    void reader.close().catch(() => {});
  });
  return out;
}
